/** What tools (the default-model script, the evaluation) use of this worker: the fraud engine and the registry. */
export { createFraudEngine } from './fraud/create-fraud-engine.js';
export { createModelRegistry } from './registry/model-registry.js';
export { rankingMetrics } from './fraud/fraud-metrics.js';
export { createRecommenderEngine } from './recommender/create-recommender-engine.js';
