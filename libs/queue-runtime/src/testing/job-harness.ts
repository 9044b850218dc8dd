import type { JobContract } from '@gantry/contracts';
import type { JobRecord } from '@gantry/job-state';
import { Redis } from 'ioredis';
import { JobProducer } from '../job-producer.js';

/**
 * The client side of the runtime's integration tests: submits jobs under a test key prefix on the real
 * Redis, waits on their state, and removes every key of the prefix at the end.
 */
export function jobHarness(prefix: string) {
  const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  const producer = new JobProducer(redis, prefix, { retentionSeconds: 86_400 });
  return {
    producer,

    submit: (contract: JobContract, input: unknown) =>
      producer.submit({
        tenant: 'acme',
        type: contract.type,
        queue: contract.queue,
        defaults: contract.defaults,
        input,
      }),

    async waitFor(id: string, done: (record: JobRecord) => boolean, timeoutMs = 15_000): Promise<JobRecord> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const record = await producer.store.get(id);
        if (record && done(record)) return record;
        if (Date.now() > deadline) throw new Error(`job ${id} stuck at ${record?.status}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },

    async close(): Promise<void> {
      await producer.close();
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}
