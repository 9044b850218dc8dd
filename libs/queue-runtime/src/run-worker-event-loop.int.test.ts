import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorker, type RunningWorker } from './run-worker.js';
import {
  abortedJobs,
  eventLoopTestWorker,
  FlakyStep,
  Stubborn,
  Wait,
} from './testing/event-loop-test-worker.js';
import { jobHarness } from './testing/job-harness.js';
import { Sleep } from './testing/runtime-test-worker.js';
import { testWorkerOptions } from './testing/test-worker-options.js';

// Real Redis and BullMQ; the handlers run in this very process, as the contracts say.
const prefix = `t-event-loop-${process.pid}-${Date.now()}`;
const { producer, submit, waitFor, close } = jobHarness(prefix);
let worker: RunningWorker;

beforeAll(async () => {
  worker = await runWorker(
    testWorkerOptions(prefix, { module: undefined, definition: eventLoopTestWorker, concurrency: 2 }),
  );
}, 30_000);

afterAll(async () => {
  await worker?.close();
  await close();
});

describe('runWorker with event-loop job types (real Redis and BullMQ)', () => {
  it('runs the handler in the worker process itself, with no engine process', async () => {
    expect(worker.state().state).toBe('ready');
    // Every slot is this process: nothing was forked.
    expect(new Set(worker.enginePids())).toEqual(new Set([process.pid]));
    const { record } = await submit(Wait, { ms: 20 });
    const done = await waitFor(record.id, (r) => r.status === 'succeeded');
    expect(done.output).toEqual({ waited_ms: 20, pid: process.pid });
    expect(done).toMatchObject({ attempt: 1, progress_pct: 100 });
  });

  it('cancels a running job: its signal aborts and the job ends canceled within 2 s', async () => {
    const { record } = await submit(Wait, { ms: 60_000 });
    await waitFor(record.id, (r) => r.status === 'running');
    const canceledAt = Date.now();
    expect((await producer.cancel(record.id)).applied).toBe(true);
    await expect.poll(() => abortedJobs.has(record.id), { timeout: 2_000, interval: 20 }).toBe(true);
    expect(Date.now() - canceledAt).toBeLessThan(2_000);
    expect((await producer.store.get(record.id))?.status).toBe('canceled');
  });

  it('times out a handler that ignores its signal, and its slot takes the next job', async () => {
    const { record } = await submit(Stubborn, { ms: 5_000 });
    const ended = await waitFor(record.id, (r) => r.status === 'timed_out', 5_000);
    expect(ended.error).toMatchObject({ code: 'JOB_TIMED_OUT', retryable: false });
    const { record: next } = await submit(Wait, { ms: 1 });
    await waitFor(next.id, (r) => r.status === 'succeeded');
    // The abandoned handler's late answer changes nothing.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await producer.store.get(record.id))?.status).toBe('timed_out');
  });

  it('retries a retryable failure, showing retrying in between', async () => {
    const { record } = await submit(FlakyStep, {});
    const done = await waitFor(record.id, (r) => r.status === 'succeeded');
    expect(done.output).toEqual({ attempt: 2 });
    const statuses = (await producer.store.eventsSince(record.id)).map((e) => e.data['status']);
    expect(statuses).toEqual(expect.arrayContaining(['running', 'retrying', 'succeeded']));
  });

  it('fails an input the handler refuses, without retrying', async () => {
    const { record } = await submit(Wait, { ms: 'soon' });
    const done = await waitFor(record.id, (r) => r.status === 'failed');
    expect(done.error).toMatchObject({ code: 'VALIDATION_FAILED', retryable: false });
  });

  it('refuses to boot a worker that mixes event-loop and engine job types', async () => {
    const mixed = { ...eventLoopTestWorker, contracts: [Wait, Sleep] };
    await expect(
      runWorker(testWorkerOptions(prefix, { module: undefined, definition: mixed, concurrency: 1 })),
    ).rejects.toThrow(/mixes job types that run in the event loop with engine ones/);
  });
});
