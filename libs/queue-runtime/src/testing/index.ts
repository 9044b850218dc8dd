/** Test-only job types and their worker module, for integration tests of other projects. */
import { fileURLToPath } from 'node:url';

export * from './runtime-test-worker.js';

export const runtimeTestWorkerModule = fileURLToPath(new URL('./runtime-test-worker.ts', import.meta.url));
