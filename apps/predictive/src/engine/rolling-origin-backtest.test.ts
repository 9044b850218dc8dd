import { describe, expect, it } from 'vitest';
import type { Forecaster } from './forecaster.js';
import { rollingOriginBacktest } from './rolling-origin-backtest.js';
import { seasonalNaiveForecaster } from './seasonal-naive-forecaster.js';

// Real: the backtest and seasonal naive. Fakes stand in for augurs models at the Forecaster seam.
const flat = (method: Forecaster['method'], value: number, calls: number[] = []): Forecaster => ({
  method,
  predict(history, horizon) {
    calls.push(history.length);
    const point = Array.from({ length: horizon }, () => value);
    return { point, lower: point, upper: point };
  },
});
const failing = (method: Forecaster['method'], belowLength: number): Forecaster => ({
  method,
  predict(history, horizon, level) {
    if (history.length < belowLength) throw new Error('not enough data');
    return flat(method, 0).predict(history, horizon, level);
  },
});

const options = { horizon: 10, seasonLength: 7, level: 0.8, window: 10_000 };
const weekly = Float64Array.from({ length: 100 }, (_, t) => 50 + (t % 7) * 3 + (t % 3));

describe('rollingOriginBacktest', () => {
  it('fits at three origins in the tail, a horizon apart, each candidate on the same histories', async () => {
    const calls: number[] = [];
    const result = await rollingOriginBacktest(weekly, [flat('auto_ets', 50, calls)], options);
    expect(result.holdout).toBe(10);
    expect(result.origins).toEqual([70, 80, 90]);
    expect(calls).toEqual([70, 80, 90]);
  });

  it('caps the holdout at a quarter of the series and fits only the recent window', async () => {
    const calls: number[] = [];
    const result = await rollingOriginBacktest(weekly, [flat('auto_ets', 50, calls)], {
      ...options,
      horizon: 60,
      window: 40,
    });
    expect(result.holdout).toBe(25);
    expect(result.origins).toEqual([25, 50, 75]);
    expect(calls).toEqual([25, 40, 40]);
  });

  it('ranks by error, scales by in-sample seasonal naive, and drops a candidate that fails an origin', async () => {
    const result = await rollingOriginBacktest(
      weekly,
      [flat('auto_ets', 1_000), seasonalNaiveForecaster(7), failing('mstl_ets', 80)],
      options,
    );
    expect(result.scores.map((score) => score.method)).toEqual(['seasonal_naive', 'auto_ets']);
    const [naive, ets] = result.scores;
    expect(ets?.mae).toBeGreaterThan(900);
    expect(ets?.smape).toBeGreaterThan(150);
    // The history before the first origin (70 points) changes by 1, 1, 2, 1, 1, 2… one season back: scale 4/3.
    expect(naive?.mase).toBeCloseTo((naive?.mae ?? 0) / (4 / 3), 10);
    expect(ets?.mase).toBeCloseTo((ets?.mae ?? 0) / (4 / 3), 10);
  });

  it("records each held-out point's distance in interval half-widths, one list per origin", async () => {
    const banded: Forecaster = {
      method: 'auto_ets',
      predict: (_history, horizon) => ({
        point: Array(horizon).fill(50),
        lower: Array(horizon).fill(40),
        upper: Array(horizon).fill(60),
      }),
    };
    const result = await rollingOriginBacktest(weekly, [banded], options);
    const held = (origin: number) =>
      Array.from(weekly.subarray(origin, origin + 10), (v) => Math.abs(v - 50) / 10);
    expect(result.scores[0]?.intervalRatios).toEqual([held(70), held(80), held(90)]);
  });

  it('tells each fit where its window starts and leaves unscored points out of errors and ratios', async () => {
    const starts: (number | undefined)[] = [];
    const spy: Forecaster = {
      method: 'auto_ets',
      predict(history, horizon, level, start) {
        starts.push(start);
        return flat('auto_ets', 50).predict(history, horizon, level);
      },
    };
    const scored = Uint8Array.from(weekly, (_, t) => (t === 95 ? 0 : 1));
    const spiked = Float64Array.from(weekly, (value, t) => (t === 95 ? 1e6 : value));
    const result = await rollingOriginBacktest(spiked, [spy], { ...options, window: 75, scored });
    expect(starts).toEqual([0, 5, 15]);
    const clean = await rollingOriginBacktest(weekly, [flat('auto_ets', 50)], options);
    const [score] = result.scores;
    expect(score?.folds.map((fold) => fold.count)).toEqual([10, 10, 9]);
    expect(score?.intervalRatios[2]).toHaveLength(9);
    expect(score?.mae).toBeLessThan(2 * (clean.scores[0]?.mae ?? 0));
  });

  it('keeps the candidates order on a tie', async () => {
    const result = await rollingOriginBacktest(weekly, [flat('auto_ets', 5), flat('mstl_ets', 5)], options);
    expect(result.scores.map((score) => score.method)).toEqual(['auto_ets', 'mstl_ets']);
  });

  it('keeps two seasons of history at every origin when the series allows it', async () => {
    const short = weekly.subarray(0, 40);
    const result = await rollingOriginBacktest(short, [seasonalNaiveForecaster(7)], options);
    expect(result.origins).toEqual([20, 30]);
    const barely = weekly.subarray(0, 14);
    const fallback = await rollingOriginBacktest(barely, [seasonalNaiveForecaster(7)], options);
    expect(fallback.holdout).toBe(3);
    expect(fallback.origins).toEqual([8, 11]);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      rollingOriginBacktest(weekly, [flat('auto_ets', 1)], { ...options, signal: controller.signal }),
    ).rejects.toThrow(/abort/i);
  });
});
