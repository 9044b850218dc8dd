import { runtimeTestWorkerModule } from '@gantry/queue-runtime/testing';
import { type EngineStack, startEngineStack, workerModule } from '../engines/engine-stack.js';

/**
 * The stack the client surfaces are tested on: the real gateway, the runtime's test worker (announced
 * types: `test.sleep` reports progress, `test.checksum` reads an upload) and, where asked, the llm worker
 * with its real model (a built-in, typed job type), with a key that has every scope; `gatewayEnv` on top
 * of the gateway's settings (WEBHOOK_ALLOWED_HOSTS for a receiver on 127.0.0.1).
 */
export const startClientStack = (
  name: string,
  { llm, gatewayEnv = {} }: { llm: boolean; gatewayEnv?: Record<string, string> },
): Promise<EngineStack> =>
  startEngineStack(
    name,
    [
      ...(llm ? [{ module: workerModule('llm'), app: 'llm' }] : []),
      { module: runtimeTestWorkerModule, app: 'runtime-test', catalogue: [], concurrency: 2 },
    ],
    ['jobs', 'admin', 'platform'],
    gatewayEnv,
  );
