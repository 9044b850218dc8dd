/**
 * Child entry: the baseline worker — a raw BullMQ Worker that runs the job in its own event loop
 * (no engine process, no job state, no record) and lets BullMQ keep the result in Redis.
 */
import { parseEnv, positiveInt, sharedEnv } from '@gantry/config';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { serveBench } from './serve-bench.js';

const BareWorkerEnv = z.object({
  ...sharedEnv,
  BENCH_QUEUE: z.string().default('bench'),
  WORKER_CONCURRENCY: positiveInt(2),
});

serveBench(async () => {
  const env = parseEnv(BareWorkerEnv, process.env);
  const connection = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  const worker = new Worker(env.BENCH_QUEUE, async (job) => ({ n: (job.data as { n?: number }).n ?? 0 }), {
    connection,
    prefix: `${env.GANTRY_PREFIX}:bull`,
    concurrency: env.WORKER_CONCURRENCY,
  });
  worker.on('error', (error) => console.error(error));
  await worker.waitUntilReady();
  return {
    url: null,
    async close() {
      await worker.close();
      await connection.quit();
    },
  };
});
