import { describe, expect, it } from 'vitest';
import { addErrors, emptyErrorSums, maseScale } from './forecast-accuracy.js';

describe('maseScale', () => {
  it('is the mean absolute one-season-back difference', () => {
    expect(maseScale(Float64Array.from([1, 2, 4, 5, 1]), 2)).toBeCloseTo((3 + 3 + 3) / 3);
  });

  it('is null when every season repeats exactly', () => {
    expect(maseScale(Float64Array.from([1, 2, 1, 2, 1, 2]), 2)).toBeNull();
  });
});

describe('addErrors', () => {
  it('sums absolute errors and sMAPE terms in percent, a perfect zero counting as no error', () => {
    const sums = emptyErrorSums();
    addErrors(sums, Float64Array.from([100, 0, 50]), [110, 0, 0]);
    expect(sums).toEqual({ count: 3, absolute: 60, smape: (200 * 10) / 210 + 0 + 200 });
  });
});
