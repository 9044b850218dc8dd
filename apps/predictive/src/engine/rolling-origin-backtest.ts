import { setImmediate as nextTurn } from 'node:timers/promises';
import { intervalRatio } from './calibrate-intervals.js';
import { addErrors, emptyErrorSums, type ErrorSums, maseScale } from './forecast-accuracy.js';
import type { ForecastMethod, Forecaster } from './forecaster.js';

export interface BacktestScore {
  method: ForecastMethod;
  /** Mean absolute error over every held-out point of every origin. */
  mae: number;
  mase: number | null;
  smape: number;
  /** Per origin, oldest first: each held-out point's `intervalRatio`, the evidence to calibrate intervals. */
  intervalRatios: number[][];
  /** Per origin, oldest first: the error sums, to choose on some origins and score on another. */
  folds: ErrorSums[];
  /** Per origin, oldest first: each scored point's absolute error, to compare two methods point by point. */
  pointErrors: number[][];
}

export interface Backtest {
  /** Points predicted from each origin: the horizon, capped at a quarter of the series. */
  holdout: number;
  /** Series lengths the candidates were fit on, oldest first. */
  origins: number[];
  /** Candidates that fit and predicted finite values at every origin, best (lowest MAE) first. */
  scores: BacktestScore[];
  /** The MASE denominator: in-sample seasonal naive error before the first origin (null when 0). */
  scale: number | null;
}

export interface BacktestOptions {
  horizon: number;
  seasonLength: number;
  /** Interval level passed to each fit, so a model that cannot give intervals drops out here. */
  level: number;
  /** Most recent points a model is fit on. */
  window: number;
  maxOrigins?: number;
  /** 0 for points that are not demand: they are neither scored nor used to calibrate intervals. */
  scored?: Uint8Array | undefined;
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
    const folds: ErrorSums[] = [];
    const pointErrors: number[][] = [];
    const intervalRatios: number[][] = [];
    let fitEverywhere = true;
    for (const origin of origins) {
      // Fits are synchronous wasm calls: yield between them so an abort or a progress message gets through.
      await nextTurn();
      options.signal?.throwIfAborted();
      if (fitEverywhere) {
        try {
          const start = Math.max(0, origin - window);
          const { point, lower, upper } = candidate.predict(
            series.subarray(start, origin),
            holdout,
            level,
            start,
          );
          const actual = series.subarray(origin, origin + holdout);
          const scored = options.scored?.subarray(origin, origin + holdout);
          const fold = emptyErrorSums();
          addErrors(fold, actual, point, scored);
          addErrors(sums, actual, point, scored);
          folds.push(fold);
          pointErrors.push(
            Array.from(actual, (value, i) => Math.abs(value - (point[i] ?? Number.NaN))).filter(
              (_, i) => scored?.[i] !== 0,
            ),
          );
          intervalRatios.push(
            Array.from(actual, (value, i) =>
              intervalRatio(value, {
                point: point[i] ?? Number.NaN,
                lower: lower[i] ?? Number.NaN,
                upper: upper[i] ?? Number.NaN,
              }),
            ).filter((_, i) => scored?.[i] !== 0),
          );
        } catch {
          // A candidate that cannot fit one origin (too short, unstable, no intervals) is out of the race.
          fitEverywhere = false;
        }
      }
      options.onFit?.(++done, total);
    }
    if (!fitEverywhere) continue;
    // Every held-out point unavailable: nothing to rank by, every candidate ties at 0.
    const mae = sums.count > 0 ? sums.absolute / sums.count : 0;
    scores.push({
      method: candidate.method,
      mae,
      mase: scale === null ? null : mae / scale,
      smape: sums.count > 0 ? sums.smape / sums.count : 0,
      intervalRatios,
      folds,
      pointErrors,
    });
  }
  scores.sort((a, b) => a.mae - b.mae);
  return { holdout, origins, scores, scale };
}
