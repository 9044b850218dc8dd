import { describe, expect, it } from 'vitest';
import type { ErrorSums } from './forecast-accuracy.js';
import type { ForecastMethod } from './forecaster.js';
import { nestedSelectionScore } from './nested-selection-score.js';
import type { Backtest } from './rolling-origin-backtest.js';

// Pure arithmetic on hand-made backtests: one absolute error per origin, one point each.
const fold = (absolute: number): ErrorSums => ({ count: 1, absolute, smape: absolute });
const score = (method: ForecastMethod, errors: number[]) => ({
  method,
  mae: errors.reduce((a, b) => a + b, 0) / errors.length,
  mase: null,
  smape: 0,
  intervalRatios: [],
  folds: errors.map(fold),
  pointErrors: errors.map((error) => [error]),
});
const backtest = (scores: ReturnType<typeof score>[]): Backtest => ({
  holdout: 1,
  origins: scores[0]?.folds.map((_, i) => 10 + i) ?? [],
  scores,
  scale: 2,
});

describe('nestedSelectionScore', () => {
  it('scores at each origin the method that led on the origins before it, never the first origin', () => {
    // auto_ets leads after origin 0 and 1, then mstl_ets overtakes: origin 3 scores mstl_ets.
    const result = nestedSelectionScore(
      backtest([
        score('seasonal_naive', [4, 4, 4, 4]),
        score('auto_ets', [1, 3, 9, 9]),
        score('mstl_ets', [2, 1, 1, 1]),
      ]),
    );
    // Origin 1: auto_ets (3). Origin 2: after [1,3] vs [2,1] mstl_ets leads (1). Origin 3: mstl_ets (1).
    expect(result.mase).toBeCloseTo((3 + 1 + 1) / 3 / 2, 12);
    expect(result.smape).toBeCloseTo(5 / 3, 12);
    expect(result.baselineMase).toBeCloseTo(4 / 2, 12);
  });

  it('is worse than the overall winner scored in-sample when the winner was lucky', () => {
    const lucky = backtest([score('seasonal_naive', [2, 2, 2]), score('auto_ets', [5, 0, 0])]);
    // In-sample, auto_ets wins (5/3 < 2); chosen honestly, origin 1 still picks seasonal naive.
    expect(nestedSelectionScore(lucky).mase).toBeCloseTo((2 + 2) / 2 / 2, 12);
  });

  it('races only the methods asked for, and uses the single origin when there is only one', () => {
    const scores = [
      score('seasonal_naive', [4, 4]),
      score('regression_mstl', [1, 1]),
      score('mstl_ets', [3, 3]),
    ];
    expect(nestedSelectionScore(backtest(scores), (m) => m !== 'regression_mstl').mase).toBeCloseTo(1.5, 12);
    const single = backtest([score('seasonal_naive', [4]), score('mstl_ets', [3])]);
    expect(nestedSelectionScore(single).mase).toBeCloseTo(1.5, 12);
  });

  it('gives no MASE when the scale is 0', () => {
    expect(
      nestedSelectionScore({ ...backtest([score('seasonal_naive', [1, 1])]), scale: null }).mase,
    ).toBeNull();
  });
});
