import { describe, expect, it } from 'vitest';
import { defaultFeatureConfig, extractFeatures } from './extract-features.js';

describe('extractFeatures', () => {
  it('is a pure function of the text', () => {
    const text =
      'I would be grateful if you could finally look into this, it is the third time I have written.';
    expect(extractFeatures(text, defaultFeatureConfig)).toEqual(extractFeatures(text, defaultFeatureConfig));
  });

  it('gives every slot once, inside the hashed table', () => {
    const { indices, values } = extractFeatures(
      'Not bad at all!! 😀 but shipping was slow',
      defaultFeatureConfig,
    );
    expect(new Set(indices).size).toBe(indices.length);
    expect(values).toHaveLength(indices.length);
    for (const index of indices) expect(index).toBeLessThan(2 ** defaultFeatureConfig.hashBits);
  });

  it('tells a negated word from the plain one', () => {
    const plain = new Set(extractFeatures('good', defaultFeatureConfig).indices);
    const negated = extractFeatures('not good', defaultFeatureConfig).indices;
    expect(negated.filter((index) => !plain.has(index)).length).toBeGreaterThan(0);
  });
});
