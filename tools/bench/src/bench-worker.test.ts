import type { HandlerContext } from '@gantry/queue-runtime';
import { describe, expect, it } from 'vitest';
import { benchContracts } from './bench-contracts.js';
import benchWorker from './bench-worker.js';

// The module the bench's workers load into their engine processes, called directly: no queue here.
const ctx = {} as HandlerContext;

describe('bench worker module', () => {
  it('handles every bench job type', () => {
    expect(benchWorker.contracts).toEqual(benchContracts);
    expect(Object.keys(benchWorker.handlers).sort()).toEqual(benchContracts.map((c) => c.type).sort());
  });

  it('answers a no-op at once and holds the CPU for a spin', async () => {
    const { engines } = await benchWorker.setup({} as never);
    expect(await benchWorker.handlers['bench.noop']({ n: 7 }, ctx, engines)).toEqual({ n: 7 });
    const started = performance.now();
    expect(await benchWorker.handlers['bench.spin']({ ms: 30 }, ctx, engines)).toEqual({ spun_ms: 30 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
  });
});
