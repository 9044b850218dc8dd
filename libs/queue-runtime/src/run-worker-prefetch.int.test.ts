import { afterAll, describe, expect, it } from 'vitest';
import { runWorker, type RunningWorker } from './run-worker.js';
import { jobHarness } from './testing/job-harness.js';
import { testWorkerOptions } from './testing/test-worker-options.js';
import { Sleep } from './testing/runtime-test-worker.js';

// Real Redis, real BullMQ, real engine processes; nothing is mocked. One engine, so that a second job
// taken while it is busy can only be held.
const prefix = `t-prefetch-${process.pid}-${Date.now()}`;
const { producer, submit, waitFor, close } = jobHarness(prefix);
const queue = producer.queue(Sleep.queue);
const workers: RunningWorker[] = [];

const startWorker = async () => {
  const worker = await runWorker(testWorkerOptions(prefix, { concurrency: 1, shutdownGraceMs: 5_000 }));
  workers.push(worker);
  return worker;
};

/** Short jobs, one after another, until the worker holds one ahead. */
async function runShortJobs(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const { record } = await submit(Sleep, { ms: 1 });
    await waitFor(record.id, (r) => r.status === 'succeeded');
  }
}

/** A long job running on the one engine, and a short one taken ahead behind it. */
async function holdOneBehindALongJob(ms: number) {
  const long = (await submit(Sleep, { ms })).record;
  await waitFor(long.id, (r) => r.status === 'running');
  const held = (await submit(Sleep, { ms: 1 })).record;
  await expect.poll(() => queue.getJobState(held.id), { timeout: 2_000 }).toBe('active');
  return { long, held };
}

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.close()));
  await close();
});

describe('runWorker taking short jobs ahead (real Redis, BullMQ and engine processes)', () => {
  it('holds a job ahead still queued, and lets it go on cancel without touching the engine', async () => {
    const worker = await startWorker();
    await runShortJobs(3);
    const engines = worker.enginePids();
    const { long, held } = await holdOneBehindALongJob(1_500);
    expect((await producer.store.get(held.id))?.status).toBe('queued');

    expect((await producer.cancel(held.id)).applied).toBe(true);
    await waitFor(long.id, (r) => r.status === 'succeeded');
    expect(worker.enginePids()).toEqual(engines);
    expect(await producer.store.get(held.id)).toMatchObject({
      status: 'canceled',
      started_at: null,
      output: null,
    });
  });

  it('hands a job held ahead back to the queue at shutdown, where it counts no attempt', async () => {
    const worker = workers[0] ?? (await startWorker());
    // The long job of the test before raised the average run time; short jobs bring it down again.
    await runShortJobs(12);
    const { long, held } = await holdOneBehindALongJob(600);
    await worker.close();

    expect((await producer.store.get(long.id))?.status).toBe('succeeded');
    expect(['waiting', 'prioritized']).toContain(await queue.getJobState(held.id));
    expect(await producer.store.get(held.id)).toMatchObject({ status: 'queued', started_at: null });
    await startWorker();
    expect(await waitFor(held.id, (r) => r.status === 'succeeded')).toMatchObject({ attempt: 1 });
  });
});
