export * from './create-redis.js';
export * from './define-worker.js';
export * from './job-producer.js';
export * from './redis-durability.js';
export * from './run-worker.js';
export * from './start-worker-app.js';
export * from './worker-control.js';
export * from './worker-env.js';
