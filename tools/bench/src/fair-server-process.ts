/**
 * Child entry: the fair baseline's server — bare Express plus the PostgreSQL row Gantry must keep.
 * Per request: `INSERT` a `queued` row (awaited, so a 202 means the row exists), then one BullMQ
 * `queue.add` with the row's id as the job id, then 202. No auth, no validation, no idempotency key.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { parseEnv, sharedEnv } from '@gantry/config';
import { createPool } from '@gantry/job-store';
import { Queue } from 'bullmq';
import express from 'express';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { serveBench } from './serve-bench.js';

const FairServerEnv = z.object({
  ...sharedEnv,
  BENCH_QUEUE: z.string().default('bench'),
  DATABASE_URL: z.string().min(1, 'set DATABASE_URL'),
});

serveBench(async () => {
  const env = parseEnv(FairServerEnv, process.env);
  const pool = createPool(env.DATABASE_URL);
  const connection = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(env.BENCH_QUEUE, { connection, prefix: `${env.GANTRY_PREFIX}:bull` });
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.post('/v1/jobs/:type', express.json(), async (req, res) => {
    const id = randomUUID();
    const type = String(req.params['type']);
    const input = (req.body as { input?: unknown }).input ?? {};
    await pool.query('INSERT INTO fair_jobs (id, type, status, input) VALUES ($1, $2, $3, $4)', [
      id,
      type,
      'queued',
      input,
    ]);
    // Gantry removes a completed job from BullMQ too: its result lives in PostgreSQL.
    await queue.add(type, input, { jobId: id, removeOnComplete: true });
    res.status(202).json({ id });
  });
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  server.keepAliveTimeout = 65_000;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await queue.close();
      await connection.quit();
      await pool.end();
    },
  };
});
