export * from './env.js';
export * from './start-gateway.js';
