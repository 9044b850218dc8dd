import {
  PredictiveForecast,
  PredictiveForecastBatch,
  PredictiveFraudScore,
  PredictiveRecommend,
  PredictiveTrainFraud,
  PredictiveTrainRecommender,
} from '@gantry/contracts';
import { defineWorker } from '@gantry/queue-runtime';
import { createForecastEngine } from './engine/create-forecast-engine.js';
import { createFraudEngine } from './fraud/create-fraud-engine.js';
import { forecastBatch } from './handlers/forecast-batch.js';
import { forecastSeries } from './handlers/forecast-series.js';
import { recommendItems } from './handlers/recommend-items.js';
import { scoreFraud } from './handlers/score-fraud.js';
import { trainFraud } from './handlers/train-fraud.js';
import { trainRecommender } from './handlers/train-recommender.js';
import { loadPredictiveEnv } from './predictive-env.js';
import { createRecommenderEngine } from './recommender/create-recommender-engine.js';
import { answerModelCommand } from './registry/answer-model-command.js';
import { createModelRegistry } from './registry/model-registry.js';

/** One engine process per job slot: onnxruntime gets one thread, since each process is one slot. */
export default defineWorker({
  queue: 'predictive',
  contracts: [
    PredictiveForecast,
    PredictiveForecastBatch,
    PredictiveTrainFraud,
    PredictiveFraudScore,
    PredictiveTrainRecommender,
    PredictiveRecommend,
  ],
  async setup() {
    const registry = createModelRegistry(loadPredictiveEnv().PREDICTIVE_REGISTRY_DIR);
    const forecaster = await createForecastEngine();
    const fraud = await createFraudEngine({ registry, intraOpNumThreads: 1 });
    const recommender = createRecommenderEngine({ registry });
    return {
      engines: { forecaster, fraud, recommender },
      models: [forecaster.model],
      dispose: () => fraud.close(),
    };
  },
  // The gateway promotes, rolls back and lists models through the workers that mount the registry.
  commands: ({ logger }) =>
    answerModelCommand(createModelRegistry(loadPredictiveEnv().PREDICTIVE_REGISTRY_DIR), logger),
}).handle({
  'predictive.forecast': forecastSeries,
  'predictive.forecast-batch': forecastBatch,
  'predictive.train-fraud': trainFraud,
  'predictive.fraud-score': scoreFraud,
  'predictive.train-recommender': trainRecommender,
  'predictive.recommend': recommendItems,
});
