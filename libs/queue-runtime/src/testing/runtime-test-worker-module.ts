import { fileURLToPath } from 'node:url';

/** The file of the test worker module, which engine processes import. */
export const runtimeTestWorkerModule = fileURLToPath(new URL('./runtime-test-worker.ts', import.meta.url));
