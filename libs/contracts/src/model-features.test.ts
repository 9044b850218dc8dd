import { describe, expect, it } from 'vitest';
import { type FeatureSpec, featureIssues, maxFeatureIssues } from './model-features.js';

const features: FeatureSpec[] = [
  { name: 'amount', type: 'number' },
  { name: 'channel', type: 'category', categories: ['web', 'pos'] },
];

describe('featureIssues', () => {
  it('passes rows that give every feature its type (an unseen category is allowed)', () => {
    expect(
      featureIssues(features, [
        { amount: 3, channel: 'web' },
        { amount: -1.5, channel: 'kiosk' },
      ]),
    ).toEqual([]);
  });

  it('names each missing, null, extra, mistyped and non-finite feature by row and column', () => {
    const issues = featureIssues(features, [
      { amount: 1, channel: 'web' },
      { channel: 'web', tip: 2 },
      { amount: 'NaN', channel: null },
      { amount: Number.POSITIVE_INFINITY, channel: 7 },
      { amount: Number.NaN, channel: true },
    ]);
    expect(issues.map(({ path, code }) => [path, code])).toEqual([
      [['transactions', 1, 'amount'], 'missing'],
      [['transactions', 1, 'tip'], 'unknown_feature'],
      [['transactions', 2, 'amount'], 'invalid_type'],
      [['transactions', 2, 'channel'], 'missing'],
      [['transactions', 3, 'amount'], 'invalid_type'],
      [['transactions', 3, 'channel'], 'invalid_type'],
      [['transactions', 4, 'amount'], 'invalid_type'],
      [['transactions', 4, 'channel'], 'invalid_type'],
    ]);
    expect(issues[1]?.message).toBe('unknown feature tip; the model reads amount, channel');
    expect(issues[4]?.message).toBe('amount must be a finite number, got Infinity');
  });

  it(`stops at ${maxFeatureIssues} issues on a hostile batch`, () => {
    const rows = Array.from({ length: 10_000 }, () => ({ a: 1, b: 2, c: 3 }));
    expect(featureIssues(features, rows)).toHaveLength(maxFeatureIssues);
  });
});
