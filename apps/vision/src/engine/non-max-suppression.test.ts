import { describe, expect, it } from 'vitest';
import type { Candidate } from './decode-yolox-output.js';
import { nonMaxSuppression } from './non-max-suppression.js';

const box = (classIndex: number, score: number, x0: number, width = 100): Candidate => ({
  classIndex,
  score,
  x0,
  y0: 0,
  x1: x0 + width,
  y1: 100,
});

describe('nonMaxSuppression', () => {
  it('drops a box of the same class that overlaps a better one by more than the threshold', () => {
    // IoU of boxes shifted by 20: 80 / 120 = 0.67; shifted by 50: 50 / 150 = 0.33.
    const kept = nonMaxSuppression([box(1, 0.5, 20), box(1, 0.9, 0), box(1, 0.6, 50)], 0.45);
    expect(kept.map((c) => c.score)).toEqual([0.9, 0.6]);
  });

  it('keeps overlapping boxes of different classes, best score first', () => {
    const kept = nonMaxSuppression([box(16, 0.4, 0), box(15, 0.8, 2), box(1, 0.6, 0, 300)], 0.45);
    expect(kept.map((c) => [c.classIndex, c.score])).toEqual([
      [15, 0.8],
      [1, 0.6],
      [16, 0.4],
    ]);
  });

  it('judges a suppressed box no further: only kept boxes suppress', () => {
    // b overlaps a (IoU 0.67, dropped); c overlaps b (0.67) but not a (0.43): c stays.
    const kept = nonMaxSuppression([box(3, 0.9, 0), box(3, 0.8, 20), box(3, 0.7, 40)], 0.45);
    expect(kept.map((c) => c.score)).toEqual([0.9, 0.7]);
  });
});
