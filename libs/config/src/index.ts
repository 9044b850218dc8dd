export * from './env-fragments.js';
export * from './parse-env.js';
