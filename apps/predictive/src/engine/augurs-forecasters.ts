import { AutoETS } from '@bsull/augurs/ets';
import { MSTL } from '@bsull/augurs/mstl';
import type { Forecaster, Prediction } from './forecaster.js';

interface AugursForecast {
  point: number[];
  intervals?: { lower: number[]; upper: number[] } | undefined;
}

/**
 * Non-seasonal AutoETS (`ZZN`: error and trend chosen by AICc, no season): augurs has no seasonal ETS,
 * so this candidate covers trend-only and level-only series. Needs `loadAugurs()` first.
 */
export const autoEtsForecaster: Forecaster = {
  method: 'auto_ets',
  predict(history, horizon, level) {
    const model = new AutoETS(1, 'ZZN');
    try {
      model.fit(history);
      return checked(model.predict(horizon, level), horizon);
    } finally {
      model.free();
    }
  },
};

/** MSTL decomposition with an AutoETS model of the deseasonalised trend. Needs `loadAugurs()` first. */
export function mstlEtsForecaster(seasonLength: number): Forecaster {
  return {
    method: 'mstl_ets',
    predict(history, horizon, level) {
      const model = MSTL.ets([seasonLength]);
      try {
        model.fit(history);
        return checked(model.predict(horizon, level), horizon);
      } finally {
        model.free();
      }
    },
  };
}

// An unstable fit (an exploding trend, say) can predict Infinity or NaN: such a candidate must lose.
function checked(forecast: AugursForecast, horizon: number): Prediction {
  const { point, intervals } = forecast;
  if (!intervals) throw new Error('the fitted model gives no prediction intervals');
  const { lower, upper } = intervals;
  const sizesMatch = point.length === horizon && lower.length === horizon && upper.length === horizon;
  if (!sizesMatch || ![...point, ...lower, ...upper].every(Number.isFinite)) {
    throw new Error('the fitted model predicts non-finite values');
  }
  return { point, lower, upper };
}
