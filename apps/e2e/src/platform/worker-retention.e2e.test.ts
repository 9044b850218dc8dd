import { redisKeys } from '@gantry/job-state';
import { JobProducer } from '@gantry/queue-runtime';
import { Sleep } from '@gantry/queue-runtime/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Platform } from '../harness/platform.js';
import { waitUntil } from '../harness/wait-until.js';

// The test worker app started as the README starts a worker, given JOB_RETENTION_S the way every process
// of the stack is (the shared Redis under this file's prefix). No gateway runs, so no recorder takes the
// finished job out of Redis: its hash keeps the expiry the worker gave it when it ended the job. The
// producer that queues the job keeps the default retention, so a short expiry can only be the worker's.
const platform = await Platform.start({ label: 'worker-retention', env: { JOB_RETENTION_S: '30' } });
const redis = new Redis(platform.redisUrl);
const producer = new JobProducer(redis, platform.prefix, { retentionSeconds: 86_400 });
const keys = redisKeys(platform.prefix);

platform.printLogsOnFailure();

beforeAll(async () => {
  await platform.startWorker('test', { readyTimeoutMs: 90_000 });
}, 120_000);

afterAll(async () => {
  redis.disconnect();
  await platform.cleanup();
}, 60_000);

describe('a worker and the shared JOB_RETENTION_S', () => {
  it('keeps a job it finished in Redis for JOB_RETENTION_S, not its own default', async () => {
    const { record } = await producer.submit({
      tenant: 'acme',
      type: Sleep.type,
      queue: Sleep.queue,
      defaults: Sleep.defaults,
      input: { ms: 500 },
    });
    // Unfinished, the job's hash has no expiry (this producer sets no maximum lifetime): the one it
    // has at the end comes from whoever ended it.
    expect(await redis.ttl(keys.job(record.id))).toBe(-1);
    await waitUntil(
      () => platform.jobState(record.id),
      (job) => job?.status === 'succeeded',
      { what: `job ${record.id} succeeded`, timeoutMs: 30_000 },
    );
    for (const key of [keys.job(record.id), keys.jobEvents(record.id)]) {
      const ttl = await redis.ttl(key);
      expect(ttl, key).toBeGreaterThan(0);
      expect(ttl, key).toBeLessThanOrEqual(30);
    }
  });
});
