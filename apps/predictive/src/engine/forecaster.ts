export type ForecastMethod = 'mstl_ets' | 'auto_ets' | 'seasonal_naive' | 'regression_mstl';

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
   * `start` is the series index of `history[0]`, for models that read per-step drivers. Throws when the
   * model cannot fit this history or its prediction is not finite.
   */
  predict(history: Float64Array, horizon: number, level: number, start?: number): Prediction;
}
