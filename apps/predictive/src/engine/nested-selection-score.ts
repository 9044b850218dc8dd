import { chooseMethod } from './choose-method.js';
import { emptyErrorSums } from './forecast-accuracy.js';
import type { ForecastMethod } from './forecaster.js';
import type { Backtest } from './rolling-origin-backtest.js';

export interface SelectionScore {
  mase: number | null;
  smape: number;
  /** Seasonal naive on the same origins and points. */
  baselineMase: number | null;
}

/**
 * The honest score of choosing a method by backtest: at each origin after the first, the method
 * `chooseMethod` picks on the origins before it is scored on that origin, which its choice never saw (a nested,
 * or prequential, evaluation). Scoring the overall winner on the origins it was chosen on would flatter it:
 * with four candidates the luckiest one wins. With a single origin there is nothing earlier to choose on,
 * and the winner's own score is all there is. `among` limits the race, e.g. to the methods without drivers.
 */
export function nestedSelectionScore(
  backtest: Backtest,
  among: (method: ForecastMethod) => boolean = () => true,
): SelectionScore {
  const racers = backtest.scores.filter((score) => among(score.method));
  const baseline = backtest.scores.find((score) => score.method === 'seasonal_naive');
  const chosen = emptyErrorSums();
  const naive = emptyErrorSums();
  const origins = backtest.origins.length;
  const pick = (before: number) => chooseMethod(racers, before);
  for (let k = origins > 1 ? 1 : 0; k < origins; k++) {
    const fold = pick(origins > 1 ? k : origins)?.folds[k];
    const naiveFold = baseline?.folds[k];
    if (!fold || !naiveFold) continue;
    for (const [sums, add] of [
      [chosen, fold],
      [naive, naiveFold],
    ] as const) {
      sums.absolute += add.absolute;
      sums.smape += add.smape;
      sums.count += add.count;
    }
  }
  const { scale } = backtest;
  const mase = (sums: typeof chosen) =>
    scale === null || sums.count === 0 ? null : sums.absolute / sums.count / scale;
  return {
    mase: mase(chosen),
    smape: chosen.count > 0 ? chosen.smape / chosen.count : 0,
    baselineMase: baseline ? mase(naive) : null,
  };
}
