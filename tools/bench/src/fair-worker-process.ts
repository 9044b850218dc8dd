/**
 * Child entry: the fair baseline's worker — a raw BullMQ Worker that sends each job to one of its
 * engine processes (one per job slot, at nice 10, one IPC round trip per job), then `UPDATE`s the
 * job's row to `succeeded` with the output and the completion time (awaited before BullMQ completes
 * the job, which removes it from Redis).
 */
import { parseEnv, positiveInt, sharedEnv } from '@gantry/config';
import { createPool } from '@gantry/job-store';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { FairEngine } from './fair-engine.js';
import { serveBench } from './serve-bench.js';

const FairWorkerEnv = z.object({
  ...sharedEnv,
  BENCH_QUEUE: z.string().default('bench'),
  WORKER_CONCURRENCY: positiveInt(2),
  DATABASE_URL: z.string().min(1, 'set DATABASE_URL'),
});

serveBench(async () => {
  const env = parseEnv(FairWorkerEnv, process.env);
  const pool = createPool(env.DATABASE_URL, { max: env.WORKER_CONCURRENCY });
  const engines = Array.from({ length: env.WORKER_CONCURRENCY }, () => FairEngine.start());
  // As many engines as job slots: a job always finds one idle.
  const idle = [...engines];
  const connection = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  const worker = new Worker(
    env.BENCH_QUEUE,
    async (job) => {
      const engine = idle.pop();
      if (!engine) throw new Error('no idle engine process');
      try {
        const { output } = await engine.run({ jobId: String(job.id), input: job.data as { n?: number } });
        await pool.query(
          'UPDATE fair_jobs SET status = $2, output = $3, completed_at = now() WHERE id = $1',
          [job.id, 'succeeded', output],
        );
      } finally {
        idle.push(engine);
      }
    },
    { connection, prefix: `${env.GANTRY_PREFIX}:bull`, concurrency: env.WORKER_CONCURRENCY },
  );
  worker.on('error', (error) => console.error(error));
  await worker.waitUntilReady();
  return {
    url: null,
    async close() {
      await worker.close();
      await connection.quit();
      await Promise.all(engines.map((engine) => engine.stop()));
      await pool.end();
    },
  };
});
