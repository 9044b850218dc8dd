import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorker, type RunningWorker } from './run-worker.js';
import { jobHarness } from './testing/job-harness.js';
import {
  Gather,
  Hog,
  sharedEngineTestFlags,
  sharedEngineTestWorkerModule,
  Solo,
} from './testing/shared-engine-test-worker.js';
import { testWorkerOptions } from './testing/test-worker-options.js';

// Real Redis, real BullMQ, a real engine process that runs up to four `test.gather` / `test.hog` jobs at
// once (the worker's engineSharing, grace 1 s); nothing is mocked.
const prefix = `t-shared-engine-${process.pid}-${Date.now()}`;
const { producer, submit, waitFor, close } = jobHarness(prefix);
let worker: RunningWorker;

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

interface Seen {
  tag: string;
  pid: number;
  peers: number;
  flags: string[];
}

const gather = (tag: string, ms: number, fail: 'VALIDATION_FAILED' | 'ENGINE_CRASHED' | null = null) =>
  submit(Gather, { tag, ms, fail });

/** One engine process, ready and idle: the next jobs all go to it. */
async function idleEngine(): Promise<number> {
  await expect
    .poll(() => worker.busy() === 0 && worker.enginePids().length === 1, { timeout: 15_000 })
    .toBe(true);
  return worker.enginePids()[0] as number;
}

beforeAll(async () => {
  worker = await runWorker(
    testWorkerOptions(prefix, { module: sharedEngineTestWorkerModule, concurrency: 1 }),
  );
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await close();
});

describe('runWorker with jobs sharing an engine process (real Redis, BullMQ and engine processes)', () => {
  it('runs four shared jobs at once in its one engine, each with its own result', async () => {
    const pid = await idleEngine();
    const tags = ['a', 'b', 'c', 'd'];
    const submitted = await Promise.all(tags.map((tag) => gather(tag, 1_500)));
    const done = await Promise.all(
      submitted.map(({ record }) => waitFor(record.id, (r) => r.status === 'succeeded')),
    );
    const outputs = done.map((record) => record.output as Seen);
    expect(outputs.map((output) => output.tag)).toEqual(tags);
    expect(outputs.every((output) => output.pid === pid)).toBe(true);
    expect(Math.max(...outputs.map((output) => output.peers))).toBe(4);
  });

  it('keeps an exclusive job alone in its engine', async () => {
    await idleEngine();
    const [first, second, solo] = await Promise.all([
      gather('e', 800),
      gather('f', 800),
      submit(Solo, { tag: 'solo', ms: 300 }),
    ]);
    for (const { record } of [first, second, solo]) await waitFor(record.id, (r) => r.status === 'succeeded');
    expect(((await producer.store.get(solo.record.id))?.output as Seen).peers).toBe(1);
  });

  it("starts its engine processes with the worker's engineNodeFlags", async () => {
    await idleEngine();
    const { record } = await submit(Solo, { tag: 'flags', ms: 0 });
    const done = await waitFor(record.id, (r) => r.status === 'succeeded');
    expect((done.output as Seen).flags).toEqual(expect.arrayContaining(sharedEngineTestFlags));
  });

  it('cancels one shared job through its signal; the others and the engine carry on', async () => {
    const pid = await idleEngine();
    const jobs = await Promise.all(['g', 'h', 'i'].map((tag) => gather(tag, 3_000)));
    const [canceled, ...others] = jobs.map(({ record }) => record);
    await Promise.all(jobs.map(({ record }) => waitFor(record.id, (r) => r.status === 'running')));
    expect((await producer.cancel(canceled?.id ?? '')).applied).toBe(true);
    const ended = await waitFor(canceled?.id ?? '', (r) => r.status === 'canceled');
    expect(ended.output).toBeNull();
    for (const record of others) {
      const done = await waitFor(record.id, (r) => r.status === 'succeeded');
      expect(done).toMatchObject({ attempt: 1, output: { pid } });
    }
    expect(worker.enginePids()).toEqual([pid]);
  });

  it('times one shared job out through its signal; the others succeed in the same engine', async () => {
    const pid = await idleEngine();
    const short = { ...Gather, defaults: { ...Gather.defaults, timeoutMs: 500 } };
    const [late, ...others] = await Promise.all([
      submit(short, { tag: 'late', ms: 5_000, fail: null }),
      gather('j', 1_500),
      gather('k', 1_500),
    ]);
    const ended = await waitFor(late?.record.id ?? '', (r) => r.status === 'timed_out');
    expect(ended).toMatchObject({ output: null, error: { code: 'JOB_TIMED_OUT' } });
    for (const { record } of others) {
      expect((await waitFor(record.id, (r) => r.status === 'succeeded')).output).toMatchObject({ pid });
    }
    expect(worker.enginePids()).toEqual([pid]);
  });

  it('fails one shared job alone', async () => {
    const pid = await idleEngine();
    const [failing, ...others] = await Promise.all([
      gather('bad', 500, 'VALIDATION_FAILED'),
      gather('l', 800),
      gather('m', 800),
    ]);
    const failed = await waitFor(failing?.record.id ?? '', (r) => r.status === 'failed');
    expect(failed.error).toMatchObject({ code: 'VALIDATION_FAILED', retryable: false });
    for (const { record } of others) {
      expect((await waitFor(record.id, (r) => r.status === 'succeeded')).output).toMatchObject({ pid });
    }
  });

  it('kills an engine whose canceled job ignores its signal past the grace; its other jobs run again', async () => {
    const pid = await idleEngine();
    const jobs = await Promise.all([gather('n', 2_000), gather('o', 2_000)]);
    await Promise.all(jobs.map(({ record }) => waitFor(record.id, (r) => r.status === 'running')));
    const { record: hog } = await submit(Hog, { ms: 30_000 });
    await waitFor(hog.id, (r) => r.status === 'running');
    const canceledAt = Date.now();
    expect((await producer.cancel(hog.id)).applied).toBe(true);
    // The hog never yields: its engine answers nothing, so it dies once the 1 s grace is over.
    await expect.poll(() => isAlive(pid), { timeout: 5_000, interval: 50 }).toBe(false);
    expect(Date.now() - canceledAt).toBeGreaterThanOrEqual(900);
    expect((await waitFor(hog.id, (r) => r.status === 'canceled')).output).toBeNull();
    for (const { record } of jobs) {
      // Handed back, not failed: a job of one attempt runs again, in the fresh engine, as attempt 1.
      const done = await waitFor(record.id, (r) => r.status === 'succeeded', 20_000);
      expect(done.attempt).toBe(1);
      expect((done.output as Seen).pid).not.toBe(pid);
      const statuses = (await producer.store.eventsSince(record.id)).map((e) => e.data['status']);
      expect(statuses).toContain('retrying');
    }
  }, 40_000);

  it('replaces an engine that reports its own crash; the jobs it shared run again in the fresh one', async () => {
    const pid = await idleEngine();
    const jobs = await Promise.all([gather('p', 2_000), gather('q', 2_000)]);
    await Promise.all(jobs.map(({ record }) => waitFor(record.id, (r) => r.status === 'running')));
    // As vision's engine answers once its inference thread has died: the process lives on, its model does not.
    const { record: crashing } = await gather('crash', 0, 'ENGINE_CRASHED');
    const failed = await waitFor(crashing.id, (r) => r.status === 'failed');
    expect(failed.error).toMatchObject({ code: 'ENGINE_CRASHED', retryable: true });
    await expect.poll(() => isAlive(pid), { timeout: 5_000, interval: 50 }).toBe(false);
    for (const { record } of jobs) {
      const done = await waitFor(record.id, (r) => r.status === 'succeeded', 20_000);
      expect(done.attempt).toBe(1);
      expect((done.output as Seen).pid).not.toBe(pid);
    }
  }, 40_000);
});
