import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { autoEtsForecaster, mstlEtsForecaster } from './augurs-forecasters.js';
import type { DriverColumns } from './driver-columns.js';
import type { Forecaster, Prediction } from './forecaster.js';

/** Seasons up to a month get a dummy per position; longer ones (52 weeks) a few harmonics, as in FPP3 §7.4. */
const maxSeasonDummies = 31;
const harmonics = 4;
/** Keeps the normal equations solvable when a column is constant or two columns coincide. */
const stabilityPenalty = 1e-8;

/**
 * Dynamic regression (Hyndman & Athanasopoulos, FPP3 ch. 10) with ETS errors: the series is regressed on
 * season position and the drivers (covariates, events, holidays), and the residual, which keeps the
 * level, trend and any season the dummies missed, is forecast by MSTL+ETS (AutoETS when MSTL cannot
 * fit). The forecast adds the two; the intervals are the residual model's, which the backtest widens
 * where the regression's own error made them too narrow.
 *
 * `drivers` hold a row per series point and per horizon step, so a fit at a backtest origin reads the
 * rows of its own window (`start` onward) and predicts with the drivers of the steps after it. Rows the
 * caller marked unavailable are left out of the regression, and their residuals are interpolated.
 */
export function regressionMstlForecaster(
  drivers: DriverColumns,
  available: Uint8Array,
  seasonLength: number,
): Forecaster {
  const residualModels = [mstlEtsForecaster(seasonLength), autoEtsForecaster];
  return {
    method: 'regression_mstl',
    predict(history, horizon, level, start = 0): Prediction {
      const n = history.length;
      const design = (row: number): number[] => [
        1,
        ...seasonTerms(row, seasonLength),
        ...drivers.columns.map((column) => column[row] ?? 0),
      ];
      const fitRows = Array.from({ length: n }, (_, i) => start + i).filter((row) => available[row] !== 0);
      const beta = shrunkFit(
        fitRows.map(design),
        fitRows.map((row) => history[row - start] ?? 0),
        [...seasonTerms(0, seasonLength).map(() => false), false, ...drivers.shrunk],
      );
      const fitted = (row: number) => design(row).reduce((sum, x, j) => sum + x * (beta[j] ?? 0), 0);
      const residual = interpolateGaps(
        Float64Array.from(history, (value, i) => value - fitted(start + i)),
        (i) => available[start + i] !== 0,
      );
      const future = Array.from({ length: horizon }, (_, h) => fitted(start + n + h));
      const errors: string[] = [];
      for (const model of residualModels) {
        try {
          const { point, lower, upper } = model.predict(residual, horizon, level);
          const add = (values: number[]) => values.map((value, h) => value + (future[h] ?? 0));
          return { point: add(point), lower: add(lower), upper: add(upper) };
        } catch (error) {
          errors.push(String(error));
        }
      }
      throw new Error(`no residual model could fit: ${errors.join('; ')}`);
    },
  };
}

/** A penalty that holds a coefficient at 0 in the first stage of `shrunkFit`. */
const excluded = 1e12;

/**
 * Ridge regression whose `shrunk` columns share one penalty chosen from the data (empirical Bayes, as in
 * James–Stein): a first fit without them gives the noise variance σ² and, from the mean residual on each
 * shrunk column's rows, the variance τ² of their true effects; the penalty σ²/τ² is the posterior mean's
 * under a N(0, τ²) prior. Effects large against the noise (a shop shut on Christmas) keep nearly all of
 * one occurrence; effects lost in noise shrink toward the shared event effect.
 */
function shrunkFit(rows: number[][], target: number[], shrunk: readonly boolean[]): number[] {
  if (!shrunk.includes(true))
    return ridge(
      rows,
      target,
      shrunk.map(() => 0),
    );
  const first = ridge(
    rows,
    target,
    shrunk.map((flag) => (flag ? excluded : 0)),
  );
  const residuals = rows.map(
    (row, r) => (target[r] ?? 0) - row.reduce((sum, x, j) => sum + x * (first[j] ?? 0), 0),
  );
  const noise = residuals.reduce((sum, e) => sum + e * e, 0) / Math.max(1, residuals.length);
  const excess: number[] = [];
  shrunk.forEach((flag, j) => {
    if (!flag) return;
    const hits = residuals.filter((_, r) => (rows[r]?.[j] ?? 0) > 0);
    if (hits.length === 0) return;
    const mean = hits.reduce((sum, e) => sum + e, 0) / hits.length;
    excess.push(mean * mean - noise / hits.length);
  });
  const effectVariance = excess.reduce((sum, v) => sum + v, 0) / Math.max(1, excess.length);
  const penalty = effectVariance > 0 ? Math.min(excluded, noise / effectVariance) : excluded;
  return ridge(
    rows,
    target,
    shrunk.map((flag) => (flag ? penalty : 0)),
  );
}

function seasonTerms(row: number, seasonLength: number): number[] {
  if (seasonLength <= maxSeasonDummies) {
    const position = row % seasonLength;
    // Position 0 is the intercept's: s − 1 dummies keep the design full rank.
    return Array.from({ length: seasonLength - 1 }, (_, k) => (position === k + 1 ? 1 : 0));
  }
  return Array.from({ length: 2 * harmonics }, (_, k) => {
    const angle = (2 * Math.PI * (Math.floor(k / 2) + 1) * row) / seasonLength;
    return k % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
  });
}

/**
 * Least squares with a ridge penalty `penalties[j]·β_j²` per column (0 leaves a column free), solved by
 * Cholesky on the normal equations after scaling each column to unit mean square, so that one small
 * stability penalty suits a price in cents and a 0/1 flag alike.
 */
function ridge(rows: number[][], target: number[], penalties: number[]): number[] {
  const p = penalties.length;
  const scale = Array.from({ length: p }, (_, j) => {
    const meanSquare = rows.reduce((sum, row) => sum + (row[j] ?? 0) ** 2, 0) / Math.max(1, rows.length);
    return meanSquare > 0 ? Math.sqrt(meanSquare) : 1;
  });
  const gram = new Matrix(p, p);
  const moment = new Matrix(p, 1);
  rows.forEach((row, r) => {
    const y = target[r] ?? 0;
    for (let a = 0; a < p; a++) {
      const xa = (row[a] ?? 0) / (scale[a] ?? 1);
      if (xa === 0) continue;
      moment.set(a, 0, moment.get(a, 0) + xa * y);
      for (let b = a; b < p; b++) gram.set(a, b, gram.get(a, b) + xa * ((row[b] ?? 0) / (scale[b] ?? 1)));
    }
  });
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < a; b++) gram.set(a, b, gram.get(b, a));
    // β = b / scale for the scaled column's coefficient b, so penalty·β² is (penalty / scale²)·b².
    const penalty = (penalties[a] ?? 0) / (scale[a] ?? 1) ** 2;
    gram.set(a, a, gram.get(a, a) + penalty + stabilityPenalty * Math.max(1, rows.length));
  }
  const solved = new CholeskyDecomposition(gram).solve(moment);
  return Array.from({ length: p }, (_, j) => solved.get(j, 0) / (scale[j] ?? 1));
}

/** Replaces the values where `keep` is false by a straight line between the nearest kept neighbours. */
function interpolateGaps(values: Float64Array, keep: (i: number) => boolean): Float64Array {
  const kept = Array.from(values.keys()).filter(keep);
  if (kept.length === 0 || kept.length === values.length) return values;
  const out = Float64Array.from(values);
  let next = 0;
  for (let i = 0; i < out.length; i++) {
    while ((kept[next] ?? Infinity) < i) next += 1;
    if (kept[next] === i) continue;
    const after = kept[next];
    const before = kept[next - 1];
    const at = (k: number | undefined) => (k === undefined ? Number.NaN : (values[k] ?? 0));
    if (before === undefined) out[i] = at(after);
    else if (after === undefined) out[i] = at(before);
    else out[i] = at(before) + ((i - before) / (after - before)) * (at(after) - at(before));
  }
  return out;
}
