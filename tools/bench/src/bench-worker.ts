/** The worker module of the bench job types; engine processes import it like any worker app's `worker.ts`. */
import { defineWorker } from '@gantry/queue-runtime';
import { benchContracts, benchQueue } from './bench-contracts.js';

export default defineWorker({
  queue: benchQueue,
  contracts: benchContracts,
  async setup() {
    return { engines: {}, models: [{ name: 'bench-engine', version: '1', sha256: null }] };
  },
}).handle({
  'bench.noop': async ({ n }) => ({ n }),
  'bench.spin': async ({ ms }) => {
    const end = Date.now() + ms;
    while (Date.now() < end) Math.sqrt(Math.random());
    return { spun_ms: ms };
  },
});
