export * from './create-logger.js';
export * from './create-metrics.js';
export * from './tracing.js';
