import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobRecord } from './job-record.js';
import { JobStateStore } from './job-state-store.js';

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
});
