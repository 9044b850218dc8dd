import { runtimeTestWorkerModule } from '@gantry/queue-runtime/testing';
import { type EngineStack, startEngineStack, workerModule } from '../engines/engine-stack.js';

/**
 * The stack the client surfaces are tested on: the real gateway, the llm worker with its real model
 * (a built-in, typed job type) and the runtime's test worker (announced types: `test.sleep` reports
 * progress, `test.checksum` reads an upload), with a key that has every scope.
 */
export const startClientStack = (name: string): Promise<EngineStack> =>
  startEngineStack(
    name,
    [
      { module: workerModule('llm'), app: 'llm' },
      { module: runtimeTestWorkerModule, app: 'runtime-test', catalogue: [], concurrency: 2 },
    ],
    ['jobs', 'admin', 'platform'],
  );
