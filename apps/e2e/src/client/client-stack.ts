import { runtimeTestWorkerModule } from '@gantry/queue-runtime/testing';
import { type EngineStack, startEngineStack, workerModule } from '../engines/engine-stack.js';

/**
 * The stack the client surfaces are tested on: the real gateway, the runtime's test worker (announced
 * types: `test.sleep` reports progress, `test.checksum` reads an upload) and, where asked, the llm worker
 * with its real model (a built-in, typed job type), with a key that has every scope.
 */
export const startClientStack = (name: string, { llm }: { llm: boolean }): Promise<EngineStack> =>
  startEngineStack(
    name,
    [
      ...(llm ? [{ module: workerModule('llm'), app: 'llm' }] : []),
      { module: runtimeTestWorkerModule, app: 'runtime-test', catalogue: [], concurrency: 2 },
    ],
    ['jobs', 'admin', 'platform'],
  );
