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

describe('JobStateStore.coalesceWrites', () => {
  it('sends the commands of one turn in one write, answered in order', async () => {
    await store.create(newJob('a'));
    const socket = redis.stream;
    const writes: number[] = [];
    // Counts what reaches the kernel: while corked, writes only fill the socket's buffer, and uncork
    // hands them all to one writev.
    const writev = Object.getPrototypeOf(socket)._writev as NonNullable<typeof socket._writev>;
    socket._writev = function (this: typeof socket, chunks, callback) {
      writes.push(chunks.length);
      writev.call(this, chunks, callback);
    };
    try {
      store.coalesceWrites();
      const running = store.markRunning('a', 1, 'w1');
      const succeeded = store.markSucceeded('a', { ok: true }, null);
      const read = store.get('a');
      expect(socket.writableCorked).toBe(1);
      expect(await running).toEqual({ applied: true, seq: 2 });
      expect(await succeeded).toEqual({ applied: true, seq: 3 });
      expect(await read).toMatchObject({ status: 'succeeded', output: { ok: true } });
      expect(writes).toEqual([3]);
      expect(socket.writableCorked).toBe(0);
    } finally {
      Reflect.deleteProperty(socket, '_writev');
    }
  });

  it('leaves the connection as it was when nothing is sent', async () => {
    store.coalesceWrites();
    await new Promise((resolve) => setImmediate(resolve));
    expect(redis.stream.writableCorked).toBe(0);
    expect(await redis.ping()).toBe('PONG');
  });
});
