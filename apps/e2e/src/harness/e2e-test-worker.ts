/**
 * The worker module of the platform tests: the runtime's test-only job types (test.sleep, test.spin,
 * test.flaky, test.checksum), plus test.sleep-retried. test.sleep allows one attempt, so a job whose
 * worker dies cannot be retried; test.sleep-retried allows three, so it can.
 */
import { pathToFileURL } from 'node:url';
import { defineJob } from '@gantry/contracts';
import { defineWorker, type WorkerDefinition } from '@gantry/queue-runtime';
import { queue, runtimeTestContracts, runtimeTestWorkerModule, Sleep } from '@gantry/queue-runtime/testing';

type RuntimeTestWorker = WorkerDefinition<typeof runtimeTestContracts, { startedAt: number }>;
const runtimeTestWorker = (
  (await import(pathToFileURL(runtimeTestWorkerModule).href)) as { default: RuntimeTestWorker }
).default;

export const RetriedSleep = defineJob({
  type: 'test.sleep-retried',
  queue,
  summary: 'Waits like test.sleep, with three attempts so a job of a lost worker is retried',
  input: Sleep.input,
  output: Sleep.output,
  defaults: { attempts: 3, backoffMs: 100, timeoutMs: 30_000 },
});

export default defineWorker({
  queue,
  contracts: [...runtimeTestContracts, RetriedSleep],
  setup: runtimeTestWorker.setup,
}).handle({
  ...runtimeTestWorker.handlers,
  'test.sleep-retried': (input, ctx, engines) =>
    runtimeTestWorker.handlers['test.sleep'](input, ctx, engines),
});
