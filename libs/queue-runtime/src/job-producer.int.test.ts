import { GantryError } from '@gantry/contracts';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobProducer, type SubmitJob } from './job-producer.js';
import { redisKeys } from '@gantry/job-state';
import { runWorker, type RunningWorker } from './run-worker.js';
import { jobHarness } from './testing/job-harness.js';
import { Sleep } from './testing/runtime-test-worker.js';
import { testWorkerOptions } from './testing/test-worker-options.js';

// Real Redis, real BullMQ, a real worker with engine processes; nothing is mocked.
const prefix = `t-producer-${process.pid}-${Date.now()}`;
const keys = redisKeys(prefix);
const harness = jobHarness(prefix);
const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
const producer = new JobProducer(redis, prefix, {
  retentionSeconds: 60,
  maxActiveJobsPerTenant: 3,
  quotaSweepSeconds: 1,
});
let worker: RunningWorker;

const submit = (tenant: string, ms: number, idempotencyKey?: string) =>
  producer.submit({
    tenant,
    type: Sleep.type,
    queue: Sleep.queue,
    defaults: Sleep.defaults,
    input: { ms },
    ...(idempotencyKey ? { idempotency: { key: idempotencyKey, bodyHash: 'same' } } : {}),
  } satisfies SubmitJob);

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error as GantryError,
  );

beforeAll(async () => {
  worker = await runWorker(testWorkerOptions(prefix, { concurrency: 1 }));
  await worker.pause();
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await producer.close();
  await harness.close();
  await redis.quit();
});

describe('the active-jobs quota of a tenant (real Redis and worker)', () => {
  it('refuses the job past the limit with QUOTA_EXCEEDED naming the limit, and frees a place when a job ends', async () => {
    const accepted: string[] = [];
    for (let i = 0; i < 3; i += 1) accepted.push((await submit('busy', 50)).record.id);
    const error = await refusal(submit('busy', 50));
    expect(error).toBeInstanceOf(GantryError);
    expect(error?.toInfo()).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      retryable: true,
      details: { limit: 'active_jobs', value: 3, setting: 'TENANT_MAX_ACTIVE_JOBS', active: 3 },
    });
    expect(error?.status).toBe(429);
    // Another tenant has a quota of its own.
    expect((await submit('calm', 50)).created).toBe(true);
    // An Idempotency-Key replay answers with its job even at the limit.
    const first = await submit('keyed', 50, 'k1');
    for (let i = 0; i < 2; i += 1) await submit('keyed', 50);
    expect((await submit('keyed', 50, 'k1')).record.id).toBe(first.record.id);

    worker.resume();
    await harness.waitFor(accepted[0] ?? '', (job) => job.status === 'succeeded');
    expect((await submit('busy', 50)).created).toBe(true);
  });

  it('releases a place once, however often the final transition is retried', async () => {
    await worker.pause();
    const tenant = 'retried';
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await submit(tenant, 50)).record.id);
    const id = ids[0] ?? '';
    expect((await producer.cancel(id)).applied).toBe(true);
    // The same final transition again, as a retried write would send it: refused, and nothing more released.
    expect((await producer.cancel(id)).applied).toBe(false);
    await producer.store.markEnded(id, 'failed', new GantryError('WORKER_LOST', 'again').toInfo());
    expect(await redis.scard(keys.tenantActiveJobs(tenant))).toBe(2);
    expect((await submit(tenant, 50)).created).toBe(true);
    expect((await refusal(submit(tenant, 50)))?.code).toBe('QUOTA_EXCEEDED');
    worker.resume();
  });

  it('answers a resent admission (a reply lost with its connection) as the same job, counted once', async () => {
    const tenant = 'resent';
    const record = {
      id: `resent-${Date.now()}`,
      tenant,
      type: Sleep.type,
      queue: Sleep.queue,
      status: 'queued' as const,
      status_reason: null,
      priority: null,
      attempt: 0,
      max_attempts: 1,
      progress_pct: 0,
      progress_message: null,
      input: { ms: 1 },
      output: null,
      error: null,
      model: null,
      worker: null,
      idempotency_key: null,
      created_at: new Date().toISOString(),
      started_at: null,
      completed_at: null,
      expires_at: null,
      webhook: null,
      email: null,
    };
    const admission = { priority: 5, priorityCeiling: 2 ** 21 - 1, maxActiveJobs: 3, sweepSeconds: 60 };
    const first = await producer.store.admit(record, undefined, admission);
    expect(first).toMatchObject({ created: true });
    expect(await producer.store.admit(record, undefined, admission)).toEqual(first);
    expect(await redis.scard(keys.tenantActiveJobs(tenant))).toBe(1);
    const created = (await redis.xrange(keys.records, '-', '+')).filter(
      ([, fields]) => fields[1] === record.id,
    );
    expect(created).toHaveLength(1);
  });

  it('heals a count that drifted: members whose job is gone or ended are swept at the limit', async () => {
    const tenant = 'drifted';
    const set = keys.tenantActiveJobs(tenant);
    // Three jobs the set believes active: one without any state, one whose state ended behind its back.
    await redis.sadd(set, 'vanished-1', 'vanished-2');
    await redis.hset(keys.job('ended-1'), 'id', 'ended-1', 'status', 'succeeded');
    await redis.sadd(set, 'ended-1');
    const job = await submit(tenant, 10);
    expect(job.created).toBe(true);
    expect(await redis.smembers(set)).toEqual([job.record.id]);
  });
});

describe('no ghost jobs (real Redis, real BullMQ failure)', () => {
  it('answers QUEUE_UNAVAILABLE and ends the job state when the BullMQ add fails', async () => {
    const tenant = 'ghosted';
    // BullMQ's add script starts by incrementing the queue's id counter: a string there makes it fail
    // before it writes anything, after the job state was created.
    const counter = `${keys.bullPrefix}:${Sleep.queue}:id`;
    const saved = await redis.get(counter);
    await redis.set(counter, 'not-a-number');
    let error: GantryError | null;
    try {
      error = await refusal(submit(tenant, 10, 'ghost-key'));
    } finally {
      if (saved === null) await redis.del(counter);
      else await redis.set(counter, saved);
    }
    expect(error?.toInfo()).toMatchObject({ code: 'QUEUE_UNAVAILABLE', retryable: true });
    expect(error?.status).toBe(503);

    // The state it wrote ended `failed` (and reached the records stream, so PostgreSQL has it ended too).
    const created = (await redis.xrange(keys.records, '-', '+'))
      .map(([, fields]) => fields)
      .filter(
        (fields) => fields[4] === 'status' && fields.some((field) => field.includes(`"tenant":"${tenant}"`)),
      );
    expect(created).toHaveLength(1);
    const id = created[0]?.[1] ?? '';
    expect(await producer.store.get(id)).toMatchObject({
      status: 'failed',
      error: { code: 'QUEUE_UNAVAILABLE' },
    });
    // Its quota place is free, no BullMQ job is left, and the Idempotency-Key creates the job anew.
    expect(await redis.scard(keys.tenantActiveJobs(tenant))).toBe(0);
    expect(await producer.queue(Sleep.queue).getJob(id)).toBeUndefined();
    const retried = await submit(tenant, 10, 'ghost-key');
    expect(retried.created).toBe(true);
    expect(retried.record.id).not.toBe(id);
    await harness.waitFor(retried.record.id, (job) => job.status === 'succeeded');
  });

  it('records a refused job as failed at once: no BullMQ job, no quota place, never created twice', async () => {
    const job = {
      id: `refused-${Date.now()}`,
      tenant: 'refused',
      type: Sleep.type,
      queue: Sleep.queue,
      defaults: Sleep.defaults,
      input: { ms: 10 },
    };
    const error = new GantryError('SOURCE_JOB_NOT_FINISHED', 'its source is still running');
    await producer.refuse(job, error);
    expect(await producer.store.get(job.id)).toMatchObject({
      status: 'failed',
      attempt: 0,
      input: { ms: 10 },
      error: { code: 'SOURCE_JOB_NOT_FINISHED', retryable: true },
    });
    expect(await producer.queue(Sleep.queue).getJob(job.id)).toBeUndefined();
    expect(await redis.scard(keys.tenantActiveJobs(job.tenant))).toBe(0);
    // Its events say how it ended, as a failed job's do.
    const events = await producer.store.eventsSince(job.id);
    expect(events.map((event) => event.name)).toEqual(['error', 'completed']);

    // The same id again (a batch look repeated after a crash) changes nothing.
    await producer.refuse({ ...job, input: { ms: 99 } }, new GantryError('JOB_NOT_FOUND', 'gone'));
    expect(await producer.store.get(job.id)).toMatchObject({
      input: { ms: 10 },
      error: { code: 'SOURCE_JOB_NOT_FINISHED' },
    });
  });
});

describe('BullMQ on a connection of its own (queueConnection)', () => {
  it('queues the job through that connection and leaves BullMQ’s scripts off the producer’s', async () => {
    const own = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', {
      enableAutoPipelining: true,
    });
    const bull = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    const split = new JobProducer(own, prefix, { retentionSeconds: 60, queueConnection: bull });
    try {
      const { record, created } = await split.submit({
        tenant: 'split',
        type: Sleep.type,
        queue: Sleep.queue,
        defaults: Sleep.defaults,
        input: { ms: 10 },
      });
      expect(created).toBe(true);
      expect((await split.queue(Sleep.queue).getJob(record.id))?.data).toMatchObject({ id: record.id });
      // ioredis copies a connection's scripts into each pipeline it builds: BullMQ's sixty-odd stay on `bull`.
      const bullmqScripts = (redis: Redis) =>
        Object.keys((redis as unknown as { scriptsSet: object }).scriptsSet).filter((name) =>
          name.startsWith('addPrioritizedJob'),
        );
      expect(bullmqScripts(bull)).toHaveLength(1);
      expect(bullmqScripts(own)).toEqual([]);
      expect(own).toHaveProperty('gantryAdmitJob');
      await harness.waitFor(record.id, (job) => job.status === 'succeeded');
    } finally {
      await split.close();
      await Promise.all([own.quit(), bull.quit()]);
    }
  });
});
