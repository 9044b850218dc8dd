/** Test-only job types and their worker module, for integration tests of other projects. */
export * from './runtime-test-worker.js';
export { runtimeTestWorkerModule } from './runtime-test-worker-module.js';
export { testWorkerOptions } from './test-worker-options.js';
