import { PredictiveForecast } from '@gantry/contracts';
import { defineWorker } from '@gantry/queue-runtime';
import { createForecastEngine } from './engine/create-forecast-engine.js';
import { forecastSeries } from './handlers/forecast-series.js';

export default defineWorker({
  queue: 'predictive',
  contracts: [PredictiveForecast],
  async setup() {
    const forecaster = await createForecastEngine();
    return { engines: { forecaster }, models: [forecaster.model] };
  },
}).handle({ 'predictive.forecast': forecastSeries });
