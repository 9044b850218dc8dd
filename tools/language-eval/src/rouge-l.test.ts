import { describe, expect, it } from 'vitest';
import { rougeL } from './rouge-l.js';

describe('rougeL', () => {
  it('is 1 for the same words and 0 for none in common', () => {
    expect(rougeL('The cat sat.', 'the cat SAT')).toBe(1);
    expect(rougeL('dogs bark', 'cats purr')).toBe(0);
  });

  it('scores the longest common subsequence as an F1', () => {
    // LCS of "a b c d" and "a c e" is "a c": precision 2/4, recall 2/3.
    expect(rougeL('a b c d', 'a c e')).toBeCloseTo((2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3), 10);
  });
});
