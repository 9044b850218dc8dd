import type { PredictiveForecast } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { ForecastEngine } from '../engine/create-forecast-engine.js';
import { forecastRequest } from './forecast-request.js';

/** `predictive.forecast`: series (and drivers) → backtested model choice → forecast with intervals. */
export const forecastSeries: Handler<typeof PredictiveForecast, { forecaster: ForecastEngine }> = (
  input,
  ctx,
  { forecaster },
) =>
  forecaster.forecast(forecastRequest(input, input), {
    signal: ctx.signal,
    onProgress: (pct, message) => ctx.progress(pct, message),
  });
