import { createLogger } from '@gantry/observability';
import { describe, expect, it } from 'vitest';
import type { EngineOutcome } from './engine-process.js';
import { EnginePool } from './engine-pool.js';
import type { JobEngine } from './job-engine.js';

// Fake only at the engine seam: engines that are ready at once and never run anything; the pool is real.
class FakeEngine implements JobEngine {
  static started = 0;
  readonly ready = Promise.resolve({ models: [], types: [], device: null });
  readonly pid = 1;
  alive = true;
  constructor() {
    FakeEngine.started += 1;
  }
  run(): Promise<EngineOutcome> {
    return Promise.reject(new Error('not used'));
  }
  aborted: string[] = [];
  abort(jobId: string): void {
    this.aborted.push(jobId);
  }
  async kill(): Promise<void> {
    this.alive = false;
  }
}

const logger = createLogger('engine-pool-test', 'silent');

async function pool(engines: number, jobsPerEngine: number) {
  const created = new EnginePool(engines, () => new FakeEngine(), logger, jobsPerEngine);
  await created.start();
  return created;
}

/** Whether a promise has settled by the time queued microtasks and a macrotask have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('EnginePool', () => {
  it('gives each exclusive job an engine of its own', async () => {
    const engines = await pool(2, 4);
    const first = await engines.acquire(undefined, false);
    const second = await engines.acquire(undefined, false);
    expect(second).not.toBe(first);
    const third = engines.acquire(undefined, false);
    expect(await settled(third)).toBe(false);
    engines.release(first);
    expect(await third).toBe(first);
  });

  it('spreads shared jobs over the least busy engines, up to jobsPerEngine each', async () => {
    const engines = await pool(2, 3);
    const taken = await Promise.all(Array.from({ length: 6 }, () => engines.acquire(undefined, true)));
    expect(new Set(taken).size).toBe(2);
    expect(taken.filter((engine) => engine === taken[0])).toHaveLength(3);
    expect(await settled(engines.acquire(undefined, true))).toBe(false);
  });

  it('never puts a shared job beside an exclusive one, nor an exclusive job beside shared ones', async () => {
    const engines = await pool(1, 4);
    const solo = await engines.acquire(undefined, false);
    const shared = engines.acquire(undefined, true);
    expect(await settled(shared)).toBe(false);
    engines.release(solo);
    const sharing = await shared;
    const exclusive = engines.acquire(undefined, false);
    expect(await settled(exclusive)).toBe(false);
    engines.release(sharing);
    expect(await exclusive).toBe(solo);
  });

  it('serves waiters in order: shared jobs behind a waiting exclusive one do not join the busy engine', async () => {
    const engines = await pool(1, 4);
    const busy = await engines.acquire(undefined, true);
    const exclusive = engines.acquire(undefined, false);
    const later = engines.acquire(undefined, true);
    expect(await settled(later)).toBe(false);
    engines.release(busy);
    expect(await exclusive).toBe(busy);
    expect(await settled(later)).toBe(false);
    // A job canceled while it waits gives up its place and rejects with the reason.
    const controller = new AbortController();
    const queued = engines.acquire(controller.signal, false);
    controller.abort(new Error('canceled'));
    await expect(queued).rejects.toThrow('canceled');
  });

  it('replaces a crashed engine once, when its last job is released, and a discarded one at once', async () => {
    const engines = await pool(1, 4);
    const engine = await engines.acquire(undefined, true);
    await engines.acquire(undefined, true);
    const before = FakeEngine.started;
    await engine.kill();
    engines.release(engine);
    expect(FakeEngine.started).toBe(before);
    engines.release(engine);
    expect(FakeEngine.started).toBe(before + 1);
    const fresh = await engines.acquire(undefined, true);
    expect(fresh).not.toBe(engine);
    await engines.discard(fresh);
    engines.release(fresh);
    expect(FakeEngine.started).toBe(before + 2);
    await engines.close();
  });
});
