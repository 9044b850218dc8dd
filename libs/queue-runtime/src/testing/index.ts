/** Test-only job types, their worker module and the client-side harness, for integration tests of other projects. */
export * from './runtime-test-worker.js';
export { runtimeTestWorkerModule } from './runtime-test-worker-module.js';
export { testWorkerOptions } from './test-worker-options.js';
export { jobHarness } from './job-harness.js';
