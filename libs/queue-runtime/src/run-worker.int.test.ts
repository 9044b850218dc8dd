import type { JobContract } from '@gantry/contracts';
import { redisKeys } from '@gantry/job-state';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorker, type RunningWorker, type RunWorkerOptions } from './run-worker.js';
import { jobHarness } from './testing/job-harness.js';
import { testWorkerOptions } from './testing/test-worker-options.js';
import { Flaky, Sleep, Spin } from './testing/runtime-test-worker.js';

// Real Redis, real BullMQ, real child processes; nothing is mocked.
const prefix = `t-runtime-${process.pid}-${Date.now()}`;
const { producer, submit, waitFor, close } = jobHarness(prefix);
const keys = redisKeys(prefix);
const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
const workerOptions = (overrides?: Partial<RunWorkerOptions>) => testWorkerOptions(prefix, overrides);
let worker: RunningWorker;

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  worker = await runWorker(workerOptions());
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await close();
  await redis.quit();
});

describe('runWorker (real Redis, BullMQ and engine processes)', () => {
  it('is ready once its engines are warm and runs a job in an engine process', async () => {
    expect(worker.state().state).toBe('ready');
    const { record } = await submit(Sleep, { ms: 40 });
    const done = await waitFor(record.id, (r) => r.status === 'succeeded');
    expect(done.output).toMatchObject({ slept_ms: 40 });
    expect(worker.enginePids()).toContain((done.output as { pid: number }).pid);
    expect(done).toMatchObject({ attempt: 1, progress_pct: 100, model: { name: 'test-engine' } });
    const events = await producer.store.eventsSince(record.id);
    expect(events.map((e) => e.name)).toEqual(
      expect.arrayContaining(['status', 'progress', 'output', 'completed']),
    );
  });

  it('writes the latest of a burst of progress reports while the job works on, not only the first', async () => {
    const { record } = await submit(Sleep, { ms: 3_000, burst: [10, 20, 30] });
    // Throttled to ~10 writes a second: 10 at once, 30 at the end of that window, long before the sleep ends.
    const reported = await waitFor(record.id, (r) => r.progress_pct === 30);
    expect(reported.status).toBe('running');
    const events = await producer.store.eventsSince(record.id);
    expect(events.filter((e) => e.name === 'progress').map((e) => (e.data as { pct: number }).pct)).toEqual([
      10, 30,
    ]);
    expect(await producer.cancel(record.id)).toMatchObject({ applied: true });
  });

  it('stops a CPU-bound job within 2 s of cancel by killing its engine process', async () => {
    const { record } = await submit(Spin, { ms: 60_000 });
    await waitFor(record.id, (r) => r.status === 'running');
    const pidsBefore = worker.enginePids();
    const canceledAt = Date.now();
    expect((await producer.cancel(record.id)).applied).toBe(true);
    await expect
      .poll(() => pidsBefore.filter(isAlive).length, { timeout: 2_000, interval: 50 })
      .toBeLessThan(pidsBefore.length);
    expect(Date.now() - canceledAt).toBeLessThan(2_000);
    expect((await producer.store.get(record.id))?.status).toBe('canceled');
  });

  it('times a CPU-bound job out and kills its engine process', async () => {
    await expect.poll(() => worker.enginePids().length, { timeout: 10_000 }).toBe(2);
    const { record } = await submit(Spin, { ms: 60_000 });
    const running = await waitFor(record.id, (r) => r.status === 'running');
    const pidsBefore = worker.enginePids();
    const ended = await waitFor(record.id, (r) => r.status === 'timed_out', 5_000);
    expect(ended.error?.code).toBe('JOB_TIMED_OUT');
    expect(Date.parse(ended.completed_at ?? '') - Date.parse(running.started_at ?? '')).toBeLessThan(
      1_500 + 2_000,
    );
    expect(pidsBefore.filter(isAlive).length).toBeLessThan(pidsBefore.length);
  });

  it('retries a retryable failure with backoff and shows retrying in between', async () => {
    const { record } = await submit(Flaky, { code: 'HANDLER_FAILED' });
    const done = await waitFor(record.id, (r) => r.status === 'succeeded');
    expect(done.output).toEqual({ attempt: 2 });
    const statuses = (await producer.store.eventsSince(record.id))
      .map((e) => e.data['status'])
      .filter(Boolean);
    expect(statuses).toEqual(expect.arrayContaining(['running', 'retrying', 'succeeded']));
  });

  it('replaces an engine that reports its own crash (a dead inference thread) and retries the job on a fresh one', async () => {
    await expect.poll(() => worker.enginePids().length, { timeout: 10_000 }).toBe(2);
    const pidsBefore = worker.enginePids();
    const { record } = await submit(Flaky, { code: 'ENGINE_CRASHED' });
    const done = await waitFor(record.id, (r) => r.status === 'succeeded');
    // The second attempt ran on a live engine: the one that reported the crash was killed, not reused.
    expect(done.output).toEqual({ attempt: 2 });
    await expect.poll(() => pidsBefore.filter(isAlive).length, { timeout: 5_000, interval: 50 }).toBe(1);
    await expect.poll(() => worker.enginePids().length, { timeout: 10_000 }).toBe(2);
    const statuses = (await producer.store.eventsSince(record.id))
      .map((e) => e.data['status'])
      .filter(Boolean);
    expect(statuses).toEqual(expect.arrayContaining(['running', 'retrying', 'succeeded']));
  });

  it('never completes a job in BullMQ whose result the job state did not take', async () => {
    const retried = { ...Sleep, defaults: { ...Sleep.defaults, attempts: 2, backoffMs: 3_000 } };
    const { record } = await submit(retried, { ms: 300 });
    await waitFor(record.id, (r) => r.status === 'running');
    // The job's hash becomes a string: the result write fails with WRONGTYPE, on the real Redis.
    const hash = keys.job(record.id);
    const aside = keys.job(`${record.id}-aside`);
    await redis.multi().rename(hash, aside).set(hash, 'not a hash').exec();
    const bullJob = producer.queue(Sleep.queue);
    await expect
      .poll(() => bullJob.getJobState(record.id), { timeout: 10_000, interval: 20 })
      .toBe('delayed');

    // Once the state can be written again, the retry records the result and only then completes.
    await redis.multi().del(hash).rename(aside, hash).exec();
    const done = await waitFor(record.id, (r) => r.status === 'succeeded');
    expect(done).toMatchObject({ attempt: 2, output: { slept_ms: 300 } });
    await expect.poll(() => bullJob.getJobState(record.id)).toBe('unknown');
  });

  it('fails a non-retryable error at once', async () => {
    const { record } = await submit(Flaky, { code: 'VALIDATION_FAILED' });
    const done = await waitFor(record.id, (r) => r.status === 'failed');
    expect(done).toMatchObject({ attempt: 1, error: { code: 'VALIDATION_FAILED', retryable: false } });
  });

  it('fails a job whose input the worker rejects, without retrying', async () => {
    const { record } = await submit(Sleep, { ms: 'soon' });
    const done = await waitFor(record.id, (r) => r.status === 'failed');
    expect(done.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(done.error?.details).toHaveProperty('issues');
  });

  it('never runs a job canceled while queued', async () => {
    await worker.pause();
    const { record } = await submit(Sleep, { ms: 10 });
    await producer.cancel(record.id);
    worker.resume();
    const { record: after } = await submit(Sleep, { ms: 10 });
    await waitFor(after.id, (r) => r.status === 'succeeded');
    expect((await producer.store.get(record.id))?.status).toBe('canceled');
    expect((await producer.store.get(record.id))?.started_at).toBeNull();
  });

  it('drops a job canceled after BullMQ handed it out: it never reaches an engine, which stays', async () => {
    // A job an earlier test canceled may still be on its way out of an engine (a worker can take a job
    // at the moment it is paused): count engines once every slot is idle and filled again.
    await expect
      .poll(() => worker.busy() === 0 && worker.enginePids().length === 2, { timeout: 10_000 })
      .toBe(true);
    await worker.pause();
    const { record } = await submit(Sleep, { ms: 10 });
    // The cancel loses the race with the worker: the state says canceled, the BullMQ job is still there.
    await producer.store.markEnded(record.id, 'canceled', {
      code: 'JOB_CANCELED',
      message: 'canceled',
      retryable: false,
      details: null,
    });
    const enginesBefore = worker.enginePids();
    worker.resume();
    const { record: after } = await submit(Sleep, { ms: 10 });
    await waitFor(after.id, (r) => r.status === 'succeeded');
    const dropped = await producer.store.get(record.id);
    expect(dropped).toMatchObject({ status: 'canceled', output: null, started_at: null });
    // The engine gets the job's input only from the round trip that marks it running, which the
    // cancel refuses: nothing started, so no engine process had to be killed.
    expect(worker.enginePids()).toEqual(enginesBefore);
    expect(enginesBefore.every(isAlive)).toBe(true);
  });

  it('keeps its engines through a run of short jobs: a job writing its end is not stopped as ended elsewhere', async () => {
    // The cancel watch reads each held job's status every second; a job whose engine has answered and
    // whose `succeeded` is being written reads as ended. Killing its engine then cost a restart per race.
    await expect
      .poll(() => worker.busy() === 0 && worker.enginePids().length === 2, { timeout: 10_000 })
      .toBe(true);
    const enginesBefore = worker.enginePids().sort();
    const submitted = await Promise.all(Array.from({ length: 300 }, () => submit(Sleep, { ms: 0 })));
    for (const { record } of submitted) await waitFor(record.id, (r) => r.status === 'succeeded', 60_000);
    expect(worker.enginePids().sort()).toEqual(enginesBefore);
  }, 90_000);

  it('takes the input from the job state, not the BullMQ job, which carries none', async () => {
    // Paused for every worker (a paused worker may still hold a blocking fetch), so the job stays queued.
    await producer.queue(Sleep.queue).pause();
    const { record } = await submit(Sleep, { ms: 15 });
    const queued = await producer.queue(Sleep.queue).getJob(record.id);
    expect(queued?.data).toMatchObject({ id: record.id, type: 'test.sleep' });
    expect(queued?.data).not.toHaveProperty('input');
    await producer.queue(Sleep.queue).resume();
    const done = await waitFor(record.id, (r) => r.status === 'succeeded');
    expect(done.output).toMatchObject({ slept_ms: 15 });
  });

  it('runs a job that dead workers only held ahead, though BullMQ counts their stalls as starts', async () => {
    await producer.queue(Sleep.queue).pause();
    const { record } = await submit(Sleep, { ms: 5 });
    // What three workers SIGKILLed while holding it (never running it) leave behind: three starts.
    await redis.hset(`${keys.bullPrefix}:${Sleep.queue}:${record.id}`, 'ats', String(record.max_attempts));
    await producer.queue(Sleep.queue).resume();
    const done = await waitFor(record.id, (r) => r.status === 'succeeded');
    expect(done).toMatchObject({ attempt: 1, output: { slept_ms: 5 } });
  });

  it('still runs a job of an older gateway, whose BullMQ job carries the input', async () => {
    const id = `old-gateway-${Date.now()}`;
    // The state holds one input and the payload another: the worker must use the payload's.
    await producer.store.create({
      ...(await submit(Sleep, { ms: 1 })).record,
      id,
      input: { ms: 1 },
    });
    await producer.queue(Sleep.queue).add(
      Sleep.type,
      {
        id,
        tenant: 'acme',
        type: Sleep.type,
        input: { ms: 7 },
        max_attempts: 1,
        timeout_ms: 30_000,
        backoff_ms: 100,
      },
      { jobId: id, removeOnComplete: true },
    );
    const done = await waitFor(id, (r) => r.status === 'succeeded');
    expect(done.output).toMatchObject({ slept_ms: 7 });
  });

  it('takes a job off the swept deadlines once it starts, and a canceled one once it is canceled', async () => {
    const withDeadline = (ms: number) =>
      producer.submit({
        tenant: 'acme',
        type: Sleep.type,
        queue: Sleep.queue,
        defaults: Sleep.defaults,
        input: { ms },
        expiresInSeconds: 3_600,
      });
    const { record: ran } = await withDeadline(1);
    const { record: canceled } = await withDeadline(1);
    await producer.cancel(canceled.id);
    await waitFor(ran.id, (r) => r.status === 'succeeded');
    // Each would otherwise hold its place in the set for the hour, swept only at its deadline.
    await expect.poll(() => redis.zscore(keys.deadlines, ran.id)).toBeNull();
    expect(await redis.zscore(keys.deadlines, canceled.id)).toBeNull();
  });

  it('ends a job taken past its start deadline expired, without running it', async () => {
    // The BullMQ job as the producer writes it, with a deadline already past when a worker takes it.
    const { record } = await submit(Sleep, { ms: 1 });
    const id = `late-${Date.now()}`;
    await producer.store.create({ ...record, id });
    const expiresAt = Date.now() - 1;
    await producer.queue(Sleep.queue).add(
      Sleep.type,
      {
        id,
        tenant: 'acme',
        type: Sleep.type,
        max_attempts: 1,
        timeout_ms: 30_000,
        backoff_ms: 100,
        expires_at: expiresAt,
      },
      { jobId: id, removeOnComplete: true },
    );
    const ended = await waitFor(id, (r) => r.status === 'expired');
    expect(ended).toMatchObject({
      attempt: 0,
      started_at: null,
      output: null,
      error: { code: 'JOB_EXPIRED' },
    });
    const events = await producer.store.eventsSince(id);
    expect(events.map((e) => e.name)).toEqual(['error', 'completed']);
  });

  it('refuses to boot without a handler for a job type of its queue', async () => {
    const orphan = { ...Sleep, type: 'test.orphan' } as JobContract;
    await expect(runWorker(workerOptions({ concurrency: 1, catalogue: [orphan] }))).rejects.toThrow(
      /no handler for test\.orphan/,
    );
  });
});
