import { describe, expect, it } from 'vitest';
import { intervalRatio, intervalScale, widenIntervals } from './calibrate-intervals.js';

// Pure arithmetic; the engine-level coverage these produce is in create-forecast-engine.coverage.test.ts.
const steps = (count: number, step: number) => Array.from({ length: count }, (_, i) => (i + 1) * step);

describe('intervalRatio', () => {
  const prediction = { point: 10, lower: 8, upper: 14 };

  it('measures a miss in half-widths of the interval on its own side', () => {
    expect(intervalRatio(12, prediction)).toBe(0.5);
    expect(intervalRatio(14, prediction)).toBe(1);
    expect(intervalRatio(7, prediction)).toBe(1.5);
    expect(intervalRatio(10, prediction)).toBe(0);
  });

  it('calls a miss by a zero-width interval infinitely far, and a hit by one no miss', () => {
    expect(intervalRatio(10.5, { point: 10, lower: 10, upper: 10 })).toBe(Number.POSITIVE_INFINITY);
    expect(intervalRatio(10, { point: 10, lower: 10, upper: 10 })).toBe(0);
  });
});

describe('intervalScale', () => {
  it('is the level-quantile of the ratios at rank (m + 1)·level, shrunk by m / (m + 10)', () => {
    // 0.02, 0.04 … 2: rank 101 × 0.8 = 80.8 lies between 1.60 and 1.62.
    expect(intervalScale([steps(100, 0.02)], 0.8)).toBeCloseTo(1.616 ** (100 / 110), 12);
    // Rank 101 × 0.95 = 95.95, between 1.90 and 1.92.
    expect(intervalScale([steps(100, 0.02)], 0.95)).toBeCloseTo(1.919 ** (100 / 110), 12);
  });

  it('moves less on fewer ratios of the same spread', () => {
    // 0.2, 0.4 … 2: rank 11 × 0.8 = 8.8, between 1.6 and 1.8; weight 10 / 20.
    expect(intervalScale([steps(10, 0.2)], 0.8)).toBeCloseTo(Math.sqrt(1.76), 12);
    expect(intervalScale([steps(10, 0.2)], 0.8)).toBeLessThan(intervalScale([steps(100, 0.02)], 0.8));
  });

  it('never narrows the interval, and leaves it alone with no evidence', () => {
    expect(intervalScale([Array(50).fill(0.3)], 0.8)).toBe(1);
    expect(intervalScale([[], []], 0.8)).toBe(1);
    expect(intervalScale([], 0.8)).toBe(1);
  });

  it('takes the median of the origins, so one origin across a level shift cannot blow it up', () => {
    const calm = steps(100, 0.02);
    const acrossShift = Array(100).fill(40);
    expect(intervalScale([calm, calm, acrossShift], 0.8)).toBeCloseTo(1.616 ** (300 / 310), 12);
    expect(intervalScale([calm, acrossShift], 0.8)).toBeCloseTo(((1.616 + 40) / 2) ** (200 / 210), 12);
  });

  it('stays finite when zero-width intervals missed, capped by the ratios a factor can cover', () => {
    const infinity = Number.POSITIVE_INFINITY;
    // Rank 8.8 of ten lands among the misses; the largest coverable ratio, 2, is the cap.
    expect(
      intervalScale([[0.5, 0.5, 0.5, 0.5, 0.5, 2, infinity, infinity, infinity, infinity]], 0.8),
    ).toBeCloseTo(Math.SQRT2, 12);
    expect(intervalScale([[0, 0, 0, infinity, infinity]], 0.95)).toBe(1);
  });
});

describe('widenIntervals', () => {
  it('scales each side about the point forecast and keeps the point', () => {
    const prediction = { point: [10, 20], lower: [8, 15], upper: [14, 21] };
    expect(widenIntervals(prediction, 1.5)).toEqual({ point: [10, 20], lower: [7, 12.5], upper: [16, 21.5] });
  });
});
