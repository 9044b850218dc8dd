export type ForecastMethod = 'mstl_ets' | 'auto_ets' | 'seasonal_naive';

export interface Prediction {
  point: number[];
  lower: number[];
  upper: number[];
}

/** One candidate model. Fitting and predicting are one call, so no fitted wasm object outlives it. */
export interface Forecaster {
  readonly method: ForecastMethod;
  /**
   * Fits on `history` and predicts the next `horizon` steps with intervals at `level` (0..1).
   * Throws when the model cannot fit this history or its prediction is not finite.
   */
  predict(history: Float64Array, horizon: number, level: number): Prediction;
}
