import { describe, expect, it } from 'vitest';
import { seasonalNaiveForecaster } from './seasonal-naive-forecaster.js';

describe('seasonalNaiveForecaster', () => {
  // Season two repeats season one plus ±3, so every one-season-back residual is 3 in size: σ = 3.
  const history = Float64Array.from([10, 20, 30, 40, 13, 17, 33, 37]);
  const naive = seasonalNaiveForecaster(4);

  it('repeats the last season', () => {
    expect(naive.predict(history, 6, 0.8).point).toEqual([13, 17, 33, 37, 13, 17]);
  });

  it('gives normal intervals at the level, widened by √(seasons ahead)', () => {
    const { point, lower, upper } = naive.predict(history, 5, 0.8);
    expect((upper[0] ?? 0) - (point[0] ?? 0)).toBeCloseTo(1.281552 * 3, 5);
    expect((point[3] ?? 0) - (lower[3] ?? 0)).toBeCloseTo(1.281552 * 3, 5);
    expect((upper[4] ?? 0) - (point[4] ?? 0)).toBeCloseTo(1.281552 * 3 * Math.SQRT2, 5);
    const wide = naive.predict(history, 1, 0.99);
    expect((wide.upper[0] ?? 0) - (wide.point[0] ?? 0)).toBeCloseTo(2.575829 * 3, 5);
    const half = naive.predict(history, 1, 0.5);
    expect((half.upper[0] ?? 0) - (half.point[0] ?? 0)).toBeCloseTo(0.67449 * 3, 4);
  });

  it('refuses a history of one season or less', () => {
    expect(() => naive.predict(history.subarray(0, 4), 2, 0.8)).toThrow(/more than 4 points/);
  });
});
