import { setImmediate as nextTurn } from 'node:timers/promises';
import { intervalRatio } from './calibrate-intervals.js';
import { addErrors, emptyErrorSums, maseScale } from './forecast-accuracy.js';
import type { ForecastMethod, Forecaster } from './forecaster.js';

export interface BacktestScore {
  method: ForecastMethod;
  /** Mean absolute error over every held-out point of every origin. */
  mae: number;
  mase: number | null;
  smape: number;
  /** Per origin, oldest first: each held-out point's `intervalRatio`, the evidence to calibrate intervals. */
  intervalRatios: number[][];
}

export interface Backtest {
  /** Points predicted from each origin: the horizon, capped at a quarter of the series. */
  holdout: number;
  /** Series lengths the candidates were fit on, oldest first. */
  origins: number[];
  /** Candidates that fit and predicted finite values at every origin, best (lowest MAE) first. */
  scores: BacktestScore[];
}

export interface BacktestOptions {
  horizon: number;
  seasonLength: number;
  /** Interval level passed to each fit, so a model that cannot give intervals drops out here. */
  level: number;
  /** Most recent points a model is fit on. */
  window: number;
  maxOrigins?: number;
  signal?: AbortSignal | undefined;
  onFit?: (done: number, total: number) => void;
}

/**
 * Fits each candidate at up to `maxOrigins` origins in the series' own tail, predicts the next `holdout`
 * points and scores them against what happened. All candidates share origins and the MASE scale (the
 * history before the first origin), so ranking by MAE is ranking by MASE; ties keep the candidates' order.
 */
export async function rollingOriginBacktest(
  series: Float64Array,
  candidates: readonly Forecaster[],
  options: BacktestOptions,
): Promise<Backtest> {
  const { seasonLength, level, window, maxOrigins = 3 } = options;
  const n = series.length;
  const holdout = Math.min(options.horizon, Math.max(1, Math.floor(n / 4)));
  // Every origin keeps two seasons of history where the series allows it, so that MSTL can fit there;
  // a shorter series still gets origins for seasonal naive, the fallback, which needs one season and a point.
  const minHistory = n - holdout >= 2 * seasonLength ? 2 * seasonLength : seasonLength + 1;
  const origins: number[] = [];
  for (let k = maxOrigins; k >= 1; k--) {
    if (n - k * holdout >= minHistory) origins.push(n - k * holdout);
  }
  const first = origins[0];
  if (first === undefined) throw new Error(`a series of ${n} points leaves no room to backtest`);
  const scale = maseScale(series.subarray(0, first), seasonLength);
  const total = candidates.length * origins.length;
  let done = 0;
  const scores: BacktestScore[] = [];
  for (const candidate of candidates) {
    const sums = emptyErrorSums();
    const intervalRatios: number[][] = [];
    let fitEverywhere = true;
    for (const origin of origins) {
      // Fits are synchronous wasm calls: yield between them so an abort or a progress message gets through.
      await nextTurn();
      options.signal?.throwIfAborted();
      if (fitEverywhere) {
        try {
          const history = series.subarray(Math.max(0, origin - window), origin);
          const { point, lower, upper } = candidate.predict(history, holdout, level);
          const actual = series.subarray(origin, origin + holdout);
          addErrors(sums, actual, point);
          intervalRatios.push(
            Array.from(actual, (value, i) =>
              intervalRatio(value, {
                point: point[i] ?? Number.NaN,
                lower: lower[i] ?? Number.NaN,
                upper: upper[i] ?? Number.NaN,
              }),
            ),
          );
        } catch {
          // A candidate that cannot fit one origin (too short, unstable, no intervals) is out of the race.
          fitEverywhere = false;
        }
      }
      options.onFit?.(++done, total);
    }
    if (!fitEverywhere) continue;
    const mae = sums.absolute / sums.count;
    scores.push({
      method: candidate.method,
      mae,
      mase: scale === null ? null : mae / scale,
      smape: sums.smape / sums.count,
      intervalRatios,
    });
  }
  scores.sort((a, b) => a.mae - b.mae);
  return { holdout, origins, scores };
}
