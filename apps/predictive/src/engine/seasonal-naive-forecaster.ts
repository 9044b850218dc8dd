import type { Forecaster, Prediction } from './forecaster.js';

/**
 * Repeats the last season. Intervals follow Hyndman & Athanasopoulos (FPP3 §5.5): the residual spread of
 * the one-season-back prediction, widened by √(seasons ahead), under a normal error.
 */
export function seasonalNaiveForecaster(seasonLength: number): Forecaster {
  return {
    method: 'seasonal_naive',
    predict(history, horizon, level): Prediction {
      const n = history.length;
      if (n <= seasonLength)
        throw new Error(`seasonal naive needs more than ${seasonLength} points, got ${n}`);
      let squares = 0;
      for (let t = seasonLength; t < n; t++)
        squares += ((history[t] ?? 0) - (history[t - seasonLength] ?? 0)) ** 2;
      const sigma = Math.sqrt(squares / (n - seasonLength));
      const z = normalQuantile((1 + level) / 2);
      const prediction: Prediction = { point: [], lower: [], upper: [] };
      for (let h = 1; h <= horizon; h++) {
        const value = history[n - seasonLength + ((h - 1) % seasonLength)] ?? 0;
        const halfWidth = z * sigma * Math.sqrt(Math.floor((h - 1) / seasonLength) + 1);
        prediction.point.push(value);
        prediction.lower.push(value - halfWidth);
        prediction.upper.push(value + halfWidth);
      }
      return prediction;
    },
  };
}

// Acklam's rational approximation of the inverse normal CDF (relative error below 1.2e-9).
const a = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const c = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const pLow = 0.02425;

function normalQuantile(p: number): number {
  const poly = (coefficients: number[], x: number): number => coefficients.reduce((sum, k) => sum * x + k, 0);
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - pLow) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}
