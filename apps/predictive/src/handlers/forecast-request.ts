import { type PredictiveForecastInput, resolveForecastSeasonality } from '@gantry/contracts';
import type { ForecastRequest } from '../engine/create-forecast-engine.js';

type SeriesFields = Pick<PredictiveForecastInput, 'series' | 'future_covariates'>;
type SharedFields = Omit<PredictiveForecastInput, 'series' | 'future_covariates'>;

/** One series of a `predictive.forecast` or `predictive.forecast-batch` input, as the engine takes it. */
export const forecastRequest = (item: SeriesFields, shared: SharedFields): ForecastRequest => ({
  series: item.series,
  futureCovariates: item.future_covariates,
  horizon: shared.horizon,
  interval: shared.interval,
  events: shared.events,
  holidays: shared.holidays,
  ...resolveForecastSeasonality({ ...shared, series: item.series }),
});
