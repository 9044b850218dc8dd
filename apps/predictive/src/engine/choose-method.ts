import type { ForecastMethod } from './forecaster.js';
import type { BacktestScore } from './rolling-origin-backtest.js';

/** Methods that read the caller's drivers. */
export const usesDrivers = (method: ForecastMethod): boolean => method === 'regression_mstl';

/**
 * How many standard errors better a method that ignores the drivers must be before it replaces the
 * driver model: about a one-sided 2.5 % test on the paired error differences (Diebold & Mariano 1995).
 */
const significance = 2;

/**
 * The method to use, judged on the first `origins` origins: the lowest mean absolute error, except that
 * a driver model stands unless the best method without drivers beats it significantly, point by point.
 * Why: the backtest's origins sit in the series' recent tail, where the drivers may hardly move (no
 * holiday in the last months before Christmas); there the two models tie up to noise, and the one that
 * knows the caller's future promotions and holidays is the one to keep. Null when no method is left.
 */
export function chooseMethod(scores: readonly BacktestScore[], origins: number): BacktestScore | null {
  const mae = (score: BacktestScore) => {
    const errors = score.pointErrors.slice(0, origins).flat();
    return errors.length > 0 ? errors.reduce((sum, error) => sum + error, 0) / errors.length : 0;
  };
  // A stable sort keeps the candidates' order on a tie.
  const ranked = [...scores].sort((a, b) => mae(a) - mae(b));
  const best = ranked[0];
  const driver = ranked.find((score) => usesDrivers(score.method));
  if (!best || !driver || driver === best) return best ?? null;
  const driverErrors = driver.pointErrors.slice(0, origins).flat();
  const bestErrors = best.pointErrors.slice(0, origins).flat();
  const differences = driverErrors.map((error, i) => error - (bestErrors[i] ?? error));
  const m = differences.length;
  if (m < 2) return best;
  const mean = differences.reduce((sum, d) => sum + d, 0) / m;
  const variance = differences.reduce((sum, d) => sum + (d - mean) ** 2, 0) / (m - 1);
  return mean > significance * Math.sqrt(variance / m) ? best : driver;
}
