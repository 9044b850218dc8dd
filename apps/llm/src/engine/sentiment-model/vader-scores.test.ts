import { describe, expect, it } from 'vitest';
import { vaderScores } from './vader-scores.js';

describe('vaderScores', () => {
  it('marks a statement of fact as flat', () => {
    expect(vaderScores('Invoice 2291: 14 hours at EUR 95.00, total EUR 1,330.00, due in 30 days.')).toEqual(
      new Map([['flat', 1]]),
    );
  });

  it('follows VADER through a negation', () => {
    const scores = vaderScores('I am not happy with the repair.');
    expect(scores.get('compound_negative')).toBeGreaterThan(0.3);
    expect(scores.has('compound_positive')).toBe(false);
  });

  it('keeps the angriest sentence of a polite letter', () => {
    const scores = vaderScores(
      'Thank you for your letter. The engineer was rude and the repair is a disgrace. Kind regards.',
    );
    expect(scores.get('sentence_most_negative')).toBeGreaterThan(0.5);
    expect(scores.get('sentence_most_positive')).toBeGreaterThan(0);
  });
});
