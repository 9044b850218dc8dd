import { Redis } from 'ioredis';
import { Worker } from 'bullmq';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { bullPriorityCeiling, JobProducer, type SubmitJob } from './job-producer.js';
import { redisKeys } from '@gantry/job-state';
import { runWorker, type RunningWorker } from './run-worker.js';
import { Sleep } from './testing/runtime-test-worker.js';
import { testWorkerOptions } from './testing/test-worker-options.js';

// Real Redis, real BullMQ, real workers with engine processes; nothing is mocked. Each test has a prefix
// of its own, removed after it.
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const redis = new Redis(redisUrl);
// BullMQ's workers want a connection that retries forever.
const takerConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
const cleanups: (() => Promise<unknown>)[] = [];
let n = 0;

function setup(limits?: Omit<ConstructorParameters<typeof JobProducer>[2], 'retentionSeconds'>) {
  const prefix = `t-fair-${process.pid}-${Date.now()}-${(n += 1)}`;
  const producer = new JobProducer(redis, prefix, { retentionSeconds: 60, ...limits });
  cleanups.push(async () => {
    await producer.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  });
  const submit = (tenant: string, input: { ms: number }, priority?: number) =>
    producer.submit({
      tenant,
      type: Sleep.type,
      queue: Sleep.queue,
      defaults: Sleep.defaults,
      input,
      ...(priority === undefined ? {} : { priority }),
    } satisfies SubmitJob);
  return { prefix, producer, submit, keys: redisKeys(prefix) };
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

afterAll(async () => {
  await Promise.all([redis.quit(), takerConnection.quit()]);
});

/** Takes jobs one at a time with BullMQ's own API, as a worker would, and reports their ids in order. */
async function take(prefix: string, count: number): Promise<string[]> {
  const worker = new Worker(Sleep.queue, null, {
    connection: takerConnection,
    prefix: redisKeys(prefix).bullPrefix,
  });
  try {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const job = await worker.getNextJob(`token-${i}`);
      if (!job?.id) break;
      ids.push(job.id);
    }
    return ids;
  } finally {
    await worker.close(true);
  }
}

describe('fair share of a queue (real Redis, BullMQ and workers)', () => {
  it("starts another tenant's jobs within a few of a flooding tenant's 2,000", async () => {
    const { prefix, keys, submit } = setup();
    let worker: RunningWorker | null = null;
    try {
      worker = await runWorker(testWorkerOptions(prefix, { concurrency: 2 }));
      const flood: string[] = [];
      for (let i = 0; i < 2_000; i += 100) {
        const batch = await Promise.all(Array.from({ length: 100 }, () => submit('flooder', { ms: 25 })));
        flood.push(...batch.map((r) => r.record.id));
      }
      const [lastBefore] = await redis.xrevrange(keys.records, '+', '-', 'COUNT', 1);
      const small: string[] = [];
      for (let i = 0; i < 10; i += 1) small.push((await submit('small', { ms: 25 })).record.id);
      await expect
        .poll(
          async () => {
            const states = await Promise.all(small.map((id) => redis.hget(keys.job(id), 'status')));
            return states.every((status) => status === 'succeeded');
          },
          { timeout: 30_000, interval: 100 },
        )
        .toBe(true);

      // Start order, from the records stream: one `running` entry per start, in the order Redis ran them.
      const entries = await redis.xrange(keys.records, `(${lastBefore?.[0] ?? '0'}`, '+');
      const starts = entries
        .map(([, fields]) => ({ id: fields[1] ?? '', status: fields[5] }))
        .filter((entry) => entry.status === 'running')
        .map((entry) => entry.id);
      const floodSet = new Set(flood);
      // The flooder's jobs that started after the small tenant submitted, before each of its jobs.
      const floodBefore = small.map((id) => {
        const at = starts.indexOf(id);
        expect(at, `job ${id} of the small tenant started`).toBeGreaterThanOrEqual(0);
        return starts.slice(0, at).filter((started) => floodSet.has(started)).length;
      });
      // Fair share alternates the two tenants: the k-th small job waits for about k flood jobs, plus the
      // jobs the worker already held (two engines, and one more each while jobs are short).
      floodBefore.forEach((count, k) =>
        expect(count, `before small job ${k + 1}`).toBeLessThanOrEqual(k + 1 + 6),
      );
      // Without it, all 2,000 would have gone first; most of them are still waiting.
      const finished = await Promise.all(flood.map((id) => redis.hget(keys.job(id), 'status')));
      expect(finished.filter((status) => status === 'queued').length).toBeGreaterThan(1_500);
    } finally {
      await worker?.close();
    }
  }, 120_000);

  it("runs a tenant's priority-1 job before its own priority-5 backlog, and keeps FIFO inside a priority", async () => {
    const { prefix, submit } = setup();
    const backlog: string[] = [];
    for (let i = 0; i < 20; i += 1) backlog.push((await submit('acme', { ms: 1 })).record.id);
    const urgent = (await submit('acme', { ms: 1 }, 1)).record.id;
    const other = (await submit('globex', { ms: 1 })).record.id;
    const order = await take(prefix, 22);
    expect(order[0]).toBe(urgent);
    // The other tenant's first job takes the first round, beside the backlog's first job.
    expect(order.indexOf(other)).toBeLessThanOrEqual(3);
    expect(order.filter((id) => backlog.includes(id))).toEqual(backlog);
  });

  it('rebases priorities under the ceiling and keeps the order fair across a rebase', async () => {
    // A ceiling of 200 leaves 19 rounds: the base moves once the head is 10 rounds past it.
    const { prefix, keys, producer, submit } = setup({ priorityCeiling: 200 });
    const a: string[] = [];
    for (let i = 0; i < 25; i += 1) a.push((await submit('a', { ms: 1 })).record.id);
    const queue = producer.queue(Sleep.queue);
    const priorities = async () => (await queue.getPrioritized()).map((job) => job.priority);
    // A flow deeper than the range waits FIFO at its end.
    expect(Math.max(...(await priorities()))).toBeLessThanOrEqual(200);
    expect(await take(prefix, 12)).toEqual(a.slice(0, 12));

    // The next add sees the head 12 rounds past the base: every waiting job is lowered by 12 rounds.
    const b = [(await submit('b', { ms: 1 })).record.id];
    expect(await redis.hget(keys.fairShare(Sleep.queue), 'base')).toBe('12');
    b.push((await submit('b', { ms: 1 })).record.id);
    const stored = await queue.getJob(a[12] ?? '');
    expect(stored?.priority).toBe(15);
    expect(Math.max(...(await priorities()))).toBeLessThanOrEqual(200);
    // Rounds 13 and 14 hold one job of each tenant; the older one (a's) goes first in each.
    expect(await take(prefix, 4)).toEqual([a[12], b[0], a[13], b[1]]);
  });

  it("never gives BullMQ a priority above its ceiling, however deep a tenant's flow", async () => {
    const { keys, producer, submit } = setup();
    const queue = producer.queue(Sleep.queue);
    await redis.hset(keys.fairShareFlows(Sleep.queue, 'deep'), '5', 1e9, '10', 1e9);
    const low = await submit('deep', { ms: 1 }, 10);
    expect((await queue.getJob(low.record.id))?.priority).toBe(bullPriorityCeiling - 1);
    // With only that job waiting, virtual time jumps to its round: the next add rebases it to round 1.
    const normal = await submit('deep', { ms: 1 });
    expect((await queue.getJob(low.record.id))?.priority).toBe(20);
    expect((await queue.getJob(normal.record.id))?.priority).toBe(bullPriorityCeiling - 6);
  });
});
