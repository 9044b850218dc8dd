import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobRecord } from './job-record.js';
import { GantryError } from '@gantry/contracts';
import { redisKeys } from './redis-keys.js';
import { JobStateStore } from './job-state-store.js';
import { parseRecordEntry } from './record-entry.js';
import { jobStateFields } from './job-record.js';

// Real Redis, a prefix of this file's own.
const prefix = `t-job-state-${process.pid}-${Date.now()}`;
const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
const store = new JobStateStore(redis, prefix);

const newJob = (id: string): Omit<JobRecord, 'seq'> => ({
  id,
  tenant: 'acme',
  type: 'test.sleep',
  queue: 'test',
  status: 'queued',
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
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('JobStateStore', () => {
  it('applies changes in order and refuses one from a final status', async () => {
    await store.create(newJob('a'));
    const running = store.markRunning('a', 1, 'w1');
    const succeeded = store.markSucceeded('a', { ok: true }, null);
    const late = store.markRetrying('a', { code: 'X', message: 'late', retryable: true, details: null }, 0);
    expect(await running).toEqual({ applied: true, seq: 2 });
    expect(await succeeded).toEqual({ applied: true, seq: 3 });
    expect(await late).toEqual({ applied: false, current: 'succeeded' });
    expect(await store.get('a')).toMatchObject({ status: 'succeeded', output: { ok: true }, seq: 3 });
  });

  it('gives each status change a records entry with every state field as the hash holds it after the change', async () => {
    const own = `${prefix}-entries`;
    const entries = new JobStateStore(redis, own);
    await entries.create(newJob('e'));
    await entries.markRunning('e', 1, 'w1');
    await entries.progress('e', 40, 'half');
    const afterStart = await redis.hgetall(redisKeys(own).job('e'));
    await entries.markSucceeded('e', { ok: true }, null);
    const afterEnd = await redis.hgetall(redisKeys(own).job('e'));
    const stream = await redis.xrange(redisKeys(own).records, '-', '+');
    const changes = stream.map(([id, fields]) => parseRecordEntry(id, fields)).filter((e) => e?.state);
    expect(changes.map((e) => [e?.seq, e?.status])).toEqual([
      [2, 'running'],
      [4, 'succeeded'],
    ]);
    const expected = (hash: Record<string, string>) =>
      Object.fromEntries(jobStateFields.map((name) => [name, hash[name] ?? '']));
    // The running entry predates the progress report (seq 3), which is not a status change.
    expect(changes[0]?.state).toEqual({ ...expected(afterStart), progress_pct: '0', progress_message: '' });
    expect(changes[1]?.state).toEqual(expected(afterEnd));
    expect(afterEnd['seq']).toBe('4');
    const more = await redis.keys(`${own}:*`);
    await redis.del(...more);
  });
});

describe('JobStateStore bounds', () => {
  const keys = redisKeys(prefix);

  it('refuses a new job while the records stream holds maxUnrecorded entries, and keeps what it accepted', async () => {
    const bounded = new JobStateStore(redis, `${prefix}-backlog`, 60, { maxUnrecorded: 3 });
    const records = redisKeys(`${prefix}-backlog`).records;
    for (const id of ['b1', 'b2', 'b3']) await bounded.create(newJob(id));
    const refused = await bounded.create(newJob('b4')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GantryError);
    expect(refused).toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503, retryable: true });
    expect(await bounded.get('b4')).toBeNull();
    expect(await redis.xlen(records)).toBe(3);
    expect((await bounded.get('b1'))?.status).toBe('queued');
    // The recorder drains one entry: there is room again.
    const [[oldest] = []] = await redis.xrange(records, '-', '+', 'COUNT', 1);
    await redis.xdel(records, oldest as string);
    expect(await bounded.create(newJob('b4'))).toEqual({ created: true });
    const more = await redis.keys(`${prefix}-backlog:*`);
    await redis.del(...more);
  });

  it('gives a job hash its maximum lifetime, its event stream too once it runs, and retention once it ends', async () => {
    const bounded = new JobStateStore(redis, prefix, 60, { maxLifetimeSeconds: 3_600 });
    await bounded.create({ ...newJob('life'), input: { text: 'once' } });
    expect(await redis.ttl(keys.job('life'))).toBeGreaterThan(3_500);
    // A worker's store knows no lifetime of its own: the event stream takes the hash's.
    const { start, input } = await store.markRunningWithInput('life', 1, 'w1');
    expect(start).toEqual({ applied: true, seq: 2 });
    expect(input).toEqual({ text: 'once' });
    expect(await redis.ttl(keys.jobEvents('life'))).toBeGreaterThan(3_500);
    await bounded.markSucceeded('life', { ok: true }, null);
    expect(await redis.ttl(keys.job('life'))).toBeLessThanOrEqual(60);
    expect(await redis.ttl(keys.jobEvents('life'))).toBeLessThanOrEqual(60);
  });

  it('expires a queued job only, with JOB_EXPIRED, and keeps its deadline in the swept set', async () => {
    const at = Date.now() - 1;
    await store.create(newJob('late'), undefined, at);
    expect(await store.dueDeadlines(Date.now(), 10)).toContainEqual({ id: 'late', expiresAt: at });
    expect(await store.markExpired('late', at)).toMatchObject({ applied: true });
    expect(await store.get('late')).toMatchObject({
      status: 'expired',
      error: { code: 'JOB_EXPIRED', retryable: false },
      status_reason: expect.stringContaining('deadline'),
      started_at: null,
    });
    const events = await store.eventsSince('late');
    expect(events.map((event) => event.name)).toEqual(['error', 'completed']);
    await store.create(newJob('started'), undefined, at);
    await store.markRunning('started', 1, 'w1');
    expect(await store.markExpired('started', at)).toEqual({ applied: false, current: 'running' });
    // A final status is final for every other change too.
    expect(
      await store.markEnded('late', 'failed', {
        code: 'INTERNAL',
        message: 'x',
        retryable: true,
        details: null,
      }),
    ).toEqual({ applied: false, current: 'expired' });
    await store.dropDeadlines(['late', 'started']);
    expect(await store.dueDeadlines(Date.now(), 10)).toEqual([]);
  });
});
