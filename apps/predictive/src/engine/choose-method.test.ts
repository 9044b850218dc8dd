import { describe, expect, it } from 'vitest';
import { chooseMethod } from './choose-method.js';
import type { ForecastMethod } from './forecaster.js';
import type { BacktestScore } from './rolling-origin-backtest.js';

// Pure arithmetic on hand-made per-point errors, two origins of four points each.
const score = (method: ForecastMethod, pointErrors: number[][]): BacktestScore => ({
  method,
  mae: 0,
  mase: null,
  smape: 0,
  intervalRatios: [],
  folds: [],
  pointErrors,
});

describe('chooseMethod', () => {
  it('keeps the driver model when a method without drivers is better only by noise', () => {
    const driver = score('regression_mstl', [
      [1, 3, 2, 2],
      [2, 1, 3, 2],
    ]);
    const ets = score('mstl_ets', [
      [2, 2, 1, 2],
      [1, 2, 2, 2],
    ]);
    expect(chooseMethod([ets, driver], 2)?.method).toBe('regression_mstl');
  });

  it('drops the driver model when the other is better at every point', () => {
    const driver = score('regression_mstl', [
      [3, 3.2, 2.9, 3.1],
      [3, 3.1, 3, 2.8],
    ]);
    const ets = score('mstl_ets', [
      [1, 1.1, 0.9, 1],
      [1, 1, 1.2, 0.8],
    ]);
    expect(chooseMethod([driver, ets], 2)?.method).toBe('mstl_ets');
  });

  it('judges only the origins asked for, and ranks by error when no method has drivers', () => {
    const naive = score('seasonal_naive', [[1], [9]]);
    const ets = score('auto_ets', [[2], [1]]);
    expect(chooseMethod([naive, ets], 1)?.method).toBe('seasonal_naive');
    expect(chooseMethod([naive, ets], 2)?.method).toBe('auto_ets');
    expect(chooseMethod([], 2)).toBeNull();
  });
});
