import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticSeries } from '../testing/synthetic-series.js';
import { autoEtsForecaster, mstlEtsForecaster } from './augurs-forecasters.js';
import type { Forecaster } from './forecaster.js';
import { loadAugurs } from './load-augurs.js';

// Real augurs wasm on synthetic series: trend + weekly season + N(0, 2²).
beforeAll(async () => {
  await loadAugurs();
});

const forecasters: Forecaster[] = [autoEtsForecaster, mstlEtsForecaster(7)];
const history = Float64Array.from(syntheticSeries({ seed: 1, length: 120 }).series, (point) => point.value);

describe.each(forecasters)('$method', (forecaster) => {
  // Single-precision STL used to put a 1e9-level forecast hundreds off; the fit on centred data cannot.
  it.each([
    { name: 'shifted to 1e9', map: (value: number) => 1e9 + value, back: (value: number) => value - 1e9 },
    { name: 'shifted below zero', map: (value: number) => value - 300, back: (value: number) => value + 300 },
    { name: 'scaled by 1e7', map: (value: number) => 1e7 * value, back: (value: number) => value / 1e7 },
  ])('forecasts the series $name as it forecasts the series itself', ({ map, back }) => {
    const plain = forecaster.predict(history, 14, 0.8);
    const moved = forecaster.predict(history.map(map), 14, 0.8);
    for (const key of ['point', 'lower', 'upper'] as const) {
      moved[key].forEach((value, i) => expect(back(value)).toBeCloseTo(plain[key][i] ?? Number.NaN, 4));
    }
  });

  it('forecasts a constant history as exactly that constant, with no width', () => {
    for (const constant of [0, 42, -1e9]) {
      const prediction = forecaster.predict(new Float64Array(60).fill(constant), 10, 0.8);
      expect(prediction).toEqual({
        point: Array(10).fill(constant),
        lower: Array(10).fill(constant),
        upper: Array(10).fill(constant),
      });
    }
  });
});
