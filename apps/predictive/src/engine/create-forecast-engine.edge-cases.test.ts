import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticSeries } from '../testing/synthetic-series.js';
import { createForecastEngine, type ForecastEngine, type ForecastRequest } from './create-forecast-engine.js';

// Real augurs wasm on the series users send that break naive arithmetic; the noise is N(0, 2²).
let engine: ForecastEngine;
beforeAll(async () => {
  engine = await createForecastEngine();
});

const sigma = 2;
const request = (values: readonly number[], horizon = 14, interval = 0.8): ForecastRequest => {
  const { series } = syntheticSeries({ seed: 1, length: values.length });
  return {
    series: series.map((point, i) => ({ ...point, value: values[i] ?? Number.NaN })),
    horizon,
    frequency: 'daily',
    seasonLength: 7,
    interval,
  };
};
const rms = (errors: number[]) => Math.sqrt(errors.reduce((sum, e) => sum + e * e, 0) / errors.length);

describe('createForecastEngine on edge cases', () => {
  it.each([0, 42, -7, 1e9])(
    'forecasts a constant %d as itself, certain, with no MASE to report',
    async (c) => {
      const result = await engine.forecast(request(Array(60).fill(c)));
      expect(result.forecast.map(({ value, lower, upper }) => [lower, value, upper])).toEqual(
        Array(14).fill([c, c, c]),
      );
      expect(result.baseline.forecast.map((point) => point.value)).toEqual(Array(14).fill(c));
      expect(result.backtest).toEqual({ mase: null, smape: 0, baseline_mase: null, origins: 3 });
    },
  );

  // Before the fit centred its data, a series at 1e9 lost its movement to single-precision STL and was
  // forecast hundreds off, so seasonal naive won the backtest; negative values were already right.
  it.each([
    { name: 'at 1e9', map: (v: number) => 1e9 + v, back: (v: number) => v - 1e9, scale: 1 },
    { name: 'below zero', map: (v: number) => v - 300, back: (v: number) => v + 300, scale: 1 },
    { name: 'scaled to billions', map: (v: number) => 1e7 * v, back: (v: number) => v / 1e7, scale: 1e7 },
  ])('forecasts the series $name as the same series where it was', async ({ map, back, scale }) => {
    const values = syntheticSeries({ seed: 5, length: 120 }).series.map((point) => point.value);
    const plain = await engine.forecast(request(values));
    const moved = await engine.forecast(request(values.map(map)));
    expect(plain.method).toBe('mstl_ets');
    expect(moved.method).toBe(plain.method);
    expect(moved.backtest.mase).toBeCloseTo(plain.backtest.mase ?? Number.NaN, 4);
    expect(moved.backtest.smape).toBeGreaterThanOrEqual(0);
    expect(moved.backtest.smape).toBeLessThanOrEqual(200);
    moved.forecast.forEach((point, i) => {
      const expected = plain.forecast[i];
      expect(back(point.value)).toBeCloseTo(expected?.value ?? Number.NaN, 4);
      expect((point.upper - point.lower) / scale).toBeCloseTo(
        (expected?.upper ?? 0) - (expected?.lower ?? 0),
        4,
      );
    });
  });

  // The last backtest origin forecasts across the shift and misses by 25σ; the final fit has seen it. Pooled,
  // those misses widened the 80 % interval ninefold; the median over origins keeps them from deciding.
  it.each([
    { history: 120, shiftAt: 110 },
    { history: 730, shiftAt: 720 },
  ])(
    'follows a level shift 10 points before the end of $history, intervals still sized to the noise',
    async ({ history, shiftAt }) => {
      let covered = 0;
      for (const seed of [1, 2, 3, 4, 5]) {
        const { series, mean } = syntheticSeries({ seed, length: history + 14 });
        const shifted = series.map((point, t) => point.value + (t >= shiftAt ? 25 * sigma : 0));
        const result = await engine.forecast(request(shifted.slice(0, history)));
        const newMean = mean.slice(history).map((value) => value + 25 * sigma);
        expect(rms(result.forecast.map((point, i) => point.value - (newMean[i] ?? 0)))).toBeLessThan(
          3 * sigma,
        );
        const first = result.forecast[0];
        expect((first?.upper ?? Number.NaN) - (first?.value ?? 0)).toBeLessThan(6 * sigma);
        covered += result.forecast.filter((point, i) => {
          const actual = shifted[history + i] ?? Number.NaN;
          return point.lower <= actual && actual <= point.upper;
        }).length;
      }
      expect(covered / (5 * 14)).toBeGreaterThanOrEqual(0.8);
    },
  );

  // Origins whose history is all zeros have zero-width intervals: their misses must not make the
  // widening factor infinite.
  it('keeps 95 % intervals finite and in scale when sales start after a run of zeros', async () => {
    const values = syntheticSeries({ seed: 6, length: 120 }).series.map((point, t) =>
      t >= 100 ? point.value : 0,
    );
    const result = await engine.forecast(request(values, 14, 0.95));
    const range = Math.max(...values) - Math.min(...values);
    for (const point of result.forecast) {
      expect(point.lower).toBeLessThanOrEqual(point.value);
      expect(point.upper).toBeGreaterThanOrEqual(point.value);
      expect(point.upper - point.lower).toBeLessThan(3 * range);
    }
  });
});
