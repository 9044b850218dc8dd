/**
 * A worker app for the test-only job types, started like the real ones:
 *   node --conditions=@gantry/source --import tsx apps/e2e/src/harness/e2e-test-worker-main.ts
 * (the test-only module exists as TypeScript sources only; the runtime forks its engine processes
 * with the same flags).
 */
import { fileURLToPath } from 'node:url';
import { startControlAgent } from '@gantry/control-plane';
import { startWorkerApp } from '@gantry/queue-runtime';

await startWorkerApp({
  app: 'e2e-test-worker',
  version: '0.0.0-e2e',
  module: fileURLToPath(new URL('./e2e-test-worker.ts', import.meta.url)),
  startControl: startControlAgent,
});
