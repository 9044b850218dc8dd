import { type PredictiveForecast, resolveForecastSeasonality } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { ForecastEngine } from '../engine/create-forecast-engine.js';

/** `predictive.forecast`: series → backtested model choice → forecast with intervals. */
export const forecastSeries: Handler<typeof PredictiveForecast, { forecaster: ForecastEngine }> = (
  input,
  ctx,
  { forecaster },
) =>
  forecaster.forecast(
    {
      series: input.series,
      horizon: input.horizon,
      interval: input.interval,
      ...resolveForecastSeasonality(input),
    },
    { signal: ctx.signal, onProgress: (pct, message) => ctx.progress(pct, message) },
  );
