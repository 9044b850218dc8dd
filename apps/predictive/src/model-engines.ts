/** What tools (the default-model script, the evaluations) use of this worker: its engines and the registry. */
export { createFraudEngine } from './fraud/create-fraud-engine.js';
export { createModelRegistry } from './registry/model-registry.js';
export { rankingMetrics } from './fraud/fraud-metrics.js';
export { createRecommenderEngine } from './recommender/create-recommender-engine.js';
export { createForecastEngine } from './engine/create-forecast-engine.js';
