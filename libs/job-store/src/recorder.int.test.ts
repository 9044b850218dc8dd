import { randomBytes } from 'node:crypto';
import { redisKeys } from '@gantry/job-state';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createJobRepository } from './job-repository.js';
import { createRecorder, type Recorder, type RecorderBatch } from './recorder.js';
import { createTestSchema, type TestSchema } from './testing/create-test-schema.js';
import { memoryLogger } from './testing/memory-logger.js';
import { deletePrefix, writeJobState } from './testing/write-job-state.js';

// Real Redis (a unique key prefix) and real Postgres (a unique schema); job state is written to Redis
// the way the queue runtime writes it.
let db: TestSchema;
let redis: Redis;
let prefix: string;
const recorders: Recorder[] = [];

const count = async (sql: string, params: unknown[] = []) =>
  Number((await db.pool.query<{ n: string }>(sql, params)).rows[0]?.n);

function start(options: Partial<Parameters<typeof createRecorder>[0]> = {}) {
  const recorder = createRecorder({
    redis,
    pool: db.pool,
    logger: memoryLogger(),
    prefix,
    blockMs: 100,
    ...options,
  });
  recorder.start();
  recorders.push(recorder);
  return recorder;
}

beforeAll(async () => {
  db = await createTestSchema('recorder');
  redis = new Redis('redis://127.0.0.1:6379');
});
afterEach(async () => {
  await Promise.all(recorders.splice(0).map((recorder) => recorder.stop()));
  await deletePrefix(redis, prefix);
  await db.pool.query('TRUNCATE jobs, job_events');
});
afterAll(async () => {
  redis.disconnect();
  await db.drop();
});

describe('recorder', () => {
  it('drains entries written before it started, in batches, and empties the stream', async () => {
    prefix = `test-rec-${randomBytes(4).toString('hex')}`;
    // Issued together, sent in order on one connection (ioredis pipelines them).
    await Promise.all(
      Array.from({ length: 400 }, (_, i) => `job-${i}`).flatMap((id, i) => [
        writeJobState(redis, prefix, { id, status: 'queued', seq: 1 }),
        writeJobState(redis, prefix, { id, status: 'running', seq: 2, fields: { worker: 'w-1' } }),
        writeJobState(redis, prefix, {
          id,
          status: 'succeeded',
          seq: 3,
          fields: { worker: 'w-1', output: JSON.stringify({ n: i }) },
        }),
      ]),
    );
    const batches: RecorderBatch[] = [];
    const recorder = start({ batchSize: 500, onBatch: (batch) => batches.push(batch) });
    await recorder.flush();

    expect(await count("SELECT count(*) AS n FROM jobs WHERE status = 'succeeded' AND seq = 3")).toBe(400);
    expect(await count('SELECT count(*) AS n FROM job_events')).toBe(1200);
    expect(batches.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...batches.map((batch) => batch.entries))).toBeLessThanOrEqual(500);
    expect(recorder.stats()).toMatchObject({ recorded: 1200, eventsWritten: 1200, failures: 0 });
    // A job whose creation ends a batch is written from its entry, then again from its later ones.
    expect(recorder.stats().jobsWritten).toBeGreaterThanOrEqual(400);
    expect(await redis.xlen(redisKeys(prefix).records)).toBe(0);
    expect(await recorder.backlog()).toEqual({ entries: 0, pending: 0, oldestAgeMs: null });
    const row = await createJobRepository(db.pool).get('acme', 'job-7');
    expect(row).toMatchObject({ status: 'succeeded', output: { n: 7 }, worker: 'w-1', status_reason: null });
  });

  it('lets a finished job go from Redis once PostgreSQL has it; one not finished, or changed since, stays', async () => {
    prefix = `test-rec-${randomBytes(4).toString('hex')}`;
    for (const id of ['done', 'busy', 'moved']) {
      await writeJobState(redis, prefix, { id, status: 'queued', seq: 1 });
      await writeJobState(redis, prefix, { id, status: 'running', seq: 2 });
      await redis.xadd(`${prefix}:job:${id}:events`, '*', 'event', 'status', 'data', '{}');
    }
    await writeJobState(redis, prefix, { id: 'done', status: 'succeeded', seq: 3 });
    await writeJobState(redis, prefix, { id: 'moved', status: 'failed', seq: 3 });
    // The hash moved past the recorded final change (only a stale entry can look like this).
    await redis.hset(`${prefix}:job:moved`, 'seq', '4');
    const recorder = start();
    await recorder.flush();

    const exists = (key: string) => redis.exists(`${prefix}:${key}`);
    expect([await exists('job:done'), await exists('job:done:events')]).toEqual([0, 0]);
    expect([await exists('job:busy'), await exists('job:busy:events')]).toEqual([1, 1]);
    expect([await exists('job:moved'), await exists('job:moved:events')]).toEqual([1, 1]);
    expect(recorder.stats().forgotten).toBe(1);
    const repository = createJobRepository(db.pool);
    expect(await repository.get('acme', 'done')).toMatchObject({ status: 'succeeded', seq: 3 });
    expect(await repository.get('acme', 'busy')).toMatchObject({ status: 'running', seq: 2 });
  });

  it("writes a new job from the fields its entry carries, even once the job's hash is gone", async () => {
    prefix = `test-rec-${randomBytes(4).toString('hex')}`;
    await writeJobState(redis, prefix, { id: 'carried', status: 'queued', seq: 1 });
    await redis.del(redisKeys(prefix).job('carried'));
    await start().flush();
    expect(await createJobRepository(db.pool).get('acme', 'carried')).toMatchObject({
      status: 'queued',
      seq: 1,
      input: { file: { blob_id: 'blob-carried' } },
      attempt: 1,
      worker: null,
    });
  });

  it("brings a row up to date from the state a change's entry carries, even once the hash is gone", async () => {
    prefix = `test-rec-${randomBytes(4).toString('hex')}`;
    const recorder = start();
    await writeJobState(redis, prefix, { id: 'changed', status: 'queued', seq: 1 });
    await recorder.flush();
    await writeJobState(redis, prefix, {
      id: 'changed',
      status: 'succeeded',
      seq: 3,
      fields: { worker: 'w-9', output: '{"n":3}', started_at: '2026-01-01T00:00:01.000Z' },
    });
    await redis.del(redisKeys(prefix).job('changed'));
    await recorder.flush();
    expect(await createJobRepository(db.pool).get('acme', 'changed')).toMatchObject({
      status: 'succeeded',
      seq: 3,
      worker: 'w-9',
      output: { n: 3 },
      started_at: '2026-01-01T00:00:01.000Z',
      input: { file: { blob_id: 'blob-changed' } },
    });
  });

  it('reads a job back from its hash when a change comes from a worker that sent no state', async () => {
    prefix = `test-rec-${randomBytes(4).toString('hex')}`;
    const recorder = start();
    await writeJobState(redis, prefix, { id: 'older', status: 'queued', seq: 1 });
    await recorder.flush();
    await writeJobState(
      redis,
      prefix,
      { id: 'older', status: 'running', seq: 2, fields: { worker: 'w-old' } },
      { carryState: false },
    );
    await recorder.flush();
    expect(await createJobRepository(db.pool).get('acme', 'older')).toMatchObject({
      status: 'running',
      seq: 2,
      worker: 'w-old',
    });
  });

  it('follows a live job through its statuses, and stores text Postgres would refuse', async () => {
    prefix = `test-rec-${randomBytes(4).toString('hex')}`;
    // Configured like the gateway's request-path client, which fails fast instead of queueing.
    const failFast = new Redis('redis://127.0.0.1:6379', {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      commandTimeout: 300,
      lazyConnect: true,
    });
    await failFast.connect();
    const recorder = start({ redis: failFast, blockMs: 500 });
    const jobs = createJobRepository(db.pool);
    await writeJobState(redis, prefix, { id: 'live', status: 'queued', seq: 1 });
    await recorder.flush();
    expect(await jobs.get('acme', 'live')).toMatchObject({ status: 'queued', seq: 1 });

    await writeJobState(redis, prefix, { id: 'live', status: 'running', seq: 2 }, { data: { attempt: 1 } });
    // Progress changes the hash without a records entry; the next status change carries it along.
    await redis.hset(redisKeys(prefix).job('live'), { progress_pct: '50', seq: '3' });
    await writeJobState(
      redis,
      prefix,
      {
        id: 'live',
        status: 'succeeded',
        seq: 4,
        fields: { output: JSON.stringify({ text: 'a\u0000b 😀 \uD800' }), progress_pct: '100' },
      },
      { at: '2026-02-02T02:02:02.000Z' },
    );
    await recorder.flush();
    expect(await jobs.get('acme', 'live')).toMatchObject({
      status: 'succeeded',
      seq: 4,
      progress_pct: 100,
      output: { text: 'ab 😀 \uFFFD' },
    });
    const history = await jobs.history('acme', 'live');
    expect(history.map((event) => [event.seq, event.status])).toEqual([
      [1, 'queued'],
      [2, 'running'],
      [4, 'succeeded'],
    ]);
    expect(history[1]?.data).toEqual({ attempt: 1 });
    expect(history[2]?.at).toBe('2026-02-02T02:02:02.000Z');
    expect(recorder.stats().failures).toBe(0);
    await recorder.stop();
    failFast.disconnect();
  });

  it('never lets an older snapshot overwrite a newer one, and keeps history of expired jobs', async () => {
    prefix = `test-rec-${randomBytes(4).toString('hex')}`;
    const recorder = start();
    const jobs = createJobRepository(db.pool);
    await writeJobState(redis, prefix, {
      id: 'j',
      status: 'succeeded',
      seq: 5,
      fields: { output: '{"v":5}' },
    });
    await recorder.flush();
    // A stale snapshot (what a slow recorder may hold) arrives after the newer one.
    await writeJobState(redis, prefix, { id: 'j', status: 'running', seq: 3, fields: { output: '' } });
    await recorder.flush();
    expect(await jobs.get('acme', 'j')).toMatchObject({ status: 'succeeded', seq: 5, output: { v: 5 } });
    expect((await jobs.history('acme', 'j')).map((event) => event.seq)).toEqual([3, 5]);

    // The hash is gone (retention) before the entry is read: history is still written.
    await redis.xadd(
      redisKeys(prefix).records,
      '*',
      'id',
      'gone',
      'seq',
      '2',
      'status',
      'running',
      'at',
      '',
      'data',
      '{}',
    );
    await recorder.flush();
    expect(await count("SELECT count(*) AS n FROM job_events WHERE job_id = 'gone' AND seq = 2")).toBe(1);
    expect(await count("SELECT count(*) AS n FROM jobs WHERE id = 'gone'")).toBe(0);
  });

  it('drops a malformed entry loudly and carries on', async () => {
    prefix = `test-rec-${randomBytes(4).toString('hex')}`;
    const logger = memoryLogger();
    const recorder = start({ logger });
    await redis.xadd(redisKeys(prefix).records, '*', 'seq', 'x', 'status', 'running');
    await writeJobState(redis, prefix, { id: 'after', status: 'queued', seq: 1 });
    await recorder.flush();
    expect(recorder.stats()).toMatchObject({ malformed: 1, recorded: 2, failures: 0 });
    expect(logger.lines.filter((line) => line.level === 'error')).toHaveLength(1);
    expect(await count("SELECT count(*) AS n FROM jobs WHERE id = 'after'")).toBe(1);
  });

  it('shares the work between recorders: every job once, every history row once', async () => {
    prefix = `test-rec-${randomBytes(4).toString('hex')}`;
    const a = start({ batchSize: 50 });
    const b = start({ batchSize: 50 });
    for (let i = 0; i < 300; i++) {
      await writeJobState(redis, prefix, { id: `s-${i}`, status: 'queued', seq: 1 });
      await writeJobState(redis, prefix, { id: `s-${i}`, status: 'running', seq: 2 });
    }
    await Promise.all([a.flush(), b.flush()]);
    expect(await count('SELECT count(*) AS n FROM jobs')).toBe(300);
    expect(await count("SELECT count(*) AS n FROM jobs WHERE status = 'running' AND seq = 2")).toBe(300);
    expect(await count('SELECT count(*) AS n FROM job_events')).toBe(600);
    const [statsA, statsB] = [a.stats(), b.stats()];
    expect(statsA.recorded + statsB.recorded).toBe(600);
    expect(statsA.recorded).toBeGreaterThan(0);
    expect(statsB.recorded).toBeGreaterThan(0);
    expect(statsA.failures + statsB.failures).toBe(0);
  });

  it('stops at once while its read is blocked, without waiting for the BLOCK to run out', async () => {
    prefix = `test-rec-${randomBytes(4).toString('hex')}`;
    const recorder = start({ blockMs: 10_000 });
    await writeJobState(redis, prefix, { id: 'seen', status: 'queued', seq: 1 });
    await recorder.flush();
    // Now blocked on an empty stream.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await recorder.stop();
    expect(Date.now() - started).toBeLessThan(2_000);
    await writeJobState(redis, prefix, { id: 'after', status: 'queued', seq: 1 });
    // The cut read took nothing: the entry written after the stop waits for the next recorder.
    expect(await redis.xlen(redisKeys(prefix).records)).toBe(1);
    expect((await redis.xpending(redisKeys(prefix).records, 'recorders'))[0]).toBe(0);
  });

  it('recreates its group when the stream is deleted under it, and leaves no consumer on stop', async () => {
    prefix = `test-rec-${randomBytes(4).toString('hex')}`;
    const logger = memoryLogger();
    const recorder = start({ logger, backoffInitialMs: 20 });
    await writeJobState(redis, prefix, { id: 'before', status: 'queued', seq: 1 });
    await recorder.flush();
    await redis.del(redisKeys(prefix).records);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await writeJobState(redis, prefix, { id: 'after', status: 'queued', seq: 1 });
    await recorder.flush();
    expect(await count("SELECT count(*) AS n FROM jobs WHERE id IN ('before', 'after')")).toBe(2);
    await recorder.stop();
    const consumers = (await redis.xinfo('CONSUMERS', redisKeys(prefix).records, 'recorders')) as unknown[];
    expect(consumers).toHaveLength(0);
  });
});
