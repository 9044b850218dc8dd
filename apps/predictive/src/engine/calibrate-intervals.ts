import type { Prediction } from './forecaster.js';

/**
 * Pseudo-residuals the library's own width counts for: the backtest's factor gets the weight m / (m + 10)
 * for m residuals, so the 8 of a two-season series move the width less than the 84 of two years of days.
 */
const priorResiduals = 10;

/**
 * How far a held-out actual fell from the point forecast, in half-widths of the model's own interval on
 * that side: at most 1 when the interval covered it. A miss by a zero-width interval is Infinity.
 */
export function intervalRatio(
  actual: number,
  prediction: { point: number; lower: number; upper: number },
): number {
  const { point, lower, upper } = prediction;
  const error = actual - point;
  if (error === 0) return 0;
  const halfWidth = error > 0 ? upper - point : point - lower;
  return halfWidth > 0 ? Math.abs(error) / halfWidth : Number.POSITIVE_INFINITY;
}

/**
 * The factor to widen a model's intervals by, from the interval ratios of its rolling-origin backtest
 * (split-conformal prediction with a normalised score: Papadopoulos et al. 2002, Lei et al. 2018).
 *
 * Why: augurs derives intervals from the in-sample residual variance under a normal error and treats the
 * estimated season and trend as known, so its 80 % intervals covered 62–76 % of synthetic futures and its
 * 95 % ones 82–93 % (weekly series with few seasons fared worst). The backtest already forecast held-out
 * data from several origins; the level-quantile of those ratios is the factor that would have covered
 * them at the requested level, whatever the noise distribution. The quantile sits at rank (m + 1)·level,
 * interpolated: the conformal rank rounds that up, which guarantees at least the level but overshoots
 * it by up to 1/(m + 1), 11 points at 80 % on 8 ratios.
 *
 * Each origin gives one ratio per horizon step, too few for a factor per step, so a factor multiplies the
 * library's width at every step: it corrects the scale, the library's growth over the horizon stays, and
 * steps past the backtest's holdout are covered too (measured coverage came out flat across the horizon).
 *
 * Guards, each for a failure seen in testing:
 * - The factor is the median of each origin's own factor. A level shift inside one origin's held-out
 *   window makes its misses huge, though the final fit has seen the shift; pooled, they widened an 80 %
 *   interval ninefold. Origins that agree give the same factor either way. A series with room for only
 *   two origins gets their mean, and no such protection.
 * - With few ratios it shrinks toward 1 geometrically (weight above): 8 ratios hardly fix an 80 % quantile.
 * - It never narrows the library's interval: the backtest sees only the series' tail while the library's
 *   variance comes from the whole history, and an interval too narrow costs users more than one too wide.
 * - A miss by a zero-width interval (the history before the origin was constant) can't be covered by any
 *   factor: it counts as a miss, and the factor is capped at the largest ratio that a factor can cover.
 *
 * Known bias: origins see less history than the final fit, so on series with only two or three seasons
 * (three years of weekly data) the factor is somewhat large and 80 % intervals cover about 85 %.
 */
export function intervalScale(ratiosByOrigin: readonly (readonly number[])[], level: number): number {
  const factors = ratiosByOrigin
    .filter((ratios) => ratios.length > 0)
    .map((ratios) => quantile(ratios, level));
  const m = ratiosByOrigin.reduce((count, ratios) => count + ratios.length, 0);
  if (factors.length === 0) return 1;
  return Math.max(1, median(factors)) ** (m / (m + priorResiduals));
}

/** Widens each side of the intervals by `scale` about the point forecast, which stays as it is. */
export function widenIntervals(prediction: Prediction, scale: number): Prediction {
  const { point, lower, upper } = prediction;
  return {
    point,
    lower: point.map((value, i) => value - scale * (value - (lower[i] ?? value))),
    upper: point.map((value, i) => value + scale * ((upper[i] ?? value) - value)),
  };
}

function quantile(ratios: readonly number[], level: number): number {
  const m = ratios.length;
  const sorted = [...ratios].sort((a, b) => a - b);
  const at = (rank: number) => sorted[Math.min(m, Math.max(1, rank)) - 1] ?? 0;
  const position = (m + 1) * level;
  const below = at(Math.floor(position));
  const above = at(Math.ceil(position));
  const interpolated = above === below ? below : below + (position - Math.floor(position)) * (above - below);
  const largestCoverable = sorted.filter(Number.isFinite).at(-1) ?? 0;
  return Math.min(interpolated, largestCoverable);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return ((sorted[Math.ceil(middle) - 1] ?? 0) + (sorted[Math.floor(middle)] ?? 0)) / 2;
}
