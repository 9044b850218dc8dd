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
    return standardized(history, horizon, (values) => {
      const model = new AutoETS(1, 'ZZN');
      try {
        model.fit(values);
        return checked(model.predict(horizon, level), horizon);
      } finally {
        model.free();
      }
    });
  },
};

/** MSTL decomposition with an AutoETS model of the deseasonalised trend. Needs `loadAugurs()` first. */
export function mstlEtsForecaster(seasonLength: number): Forecaster {
  return {
    method: 'mstl_ets',
    predict(history, horizon, level) {
      return standardized(history, horizon, (values) => {
        const model = MSTL.ets([seasonLength]);
        try {
          model.fit(values);
          return checked(model.predict(horizon, level), horizon);
        } finally {
          model.free();
        }
      });
    },
  };
}

/**
 * Fits on (history − mean) / (largest deviation) and maps the prediction back. augurs decomposes in
 * single precision (STL takes `f32`), so a series at 1e9 that moves by units lost its movement to
 * rounding (a forecast hundreds off), and AutoETS's optimiser collapsed to zero-width intervals when the
 * variation was 1e-9 of the level. Centred data keep every digit of the variation. Additive ETS and STL
 * are equivariant under this map, so a series forecasts the same wherever it sits, above or below zero.
 * The price: multiplicative-error ETS, which augurs tries only on positive data, leaves the search (it
 * made the search depend on the sign of the data; measured accuracy on proportional noise was unchanged,
 * and the search is half as long).
 */
function standardized(
  history: Float64Array,
  horizon: number,
  fit: (values: Float64Array) => Prediction,
): Prediction {
  // A running mean and the largest deviation from it: no sum or square can overflow near Number.MAX_VALUE.
  const mean = history.reduce((running, value, i) => running + (value - running) / (i + 1), 0);
  const deviation = history.reduce((largest, value) => Math.max(largest, Math.abs(value - mean)), 0);
  // A constant history has one exact forecast; augurs would return it with rounding noise (1e-99 wide
  // intervals) that makes a later backtest miss look infinitely far outside the interval.
  if (deviation === 0) {
    const constant = Array.from({ length: horizon }, () => mean);
    return { point: constant, lower: [...constant], upper: [...constant] };
  }
  const spread = Number.isFinite(deviation) ? deviation : 1;
  const { point, lower, upper } = fit(history.map((value) => (value - mean) / spread));
  const back = (values: number[]) => values.map((value) => mean + spread * value);
  return checkedFinite({ point: back(point), lower: back(lower), upper: back(upper) });
}

// An unstable fit (an exploding trend, say) can predict Infinity or NaN: such a candidate must lose.
function checked(forecast: AugursForecast, horizon: number): Prediction {
  const { point, intervals } = forecast;
  if (!intervals) throw new Error('the fitted model gives no prediction intervals');
  const { lower, upper } = intervals;
  const sizesMatch = point.length === horizon && lower.length === horizon && upper.length === horizon;
  if (!sizesMatch) throw new Error('the fitted model predicts the wrong number of steps');
  return checkedFinite({ point, lower, upper });
}

function checkedFinite(prediction: Prediction): Prediction {
  const { point, lower, upper } = prediction;
  if (![...point, ...lower, ...upper].every(Number.isFinite)) {
    throw new Error('the fitted model predicts non-finite values');
  }
  return prediction;
}
