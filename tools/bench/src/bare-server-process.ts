/**
 * Child entry: the baseline a team would write without Gantry — an Express endpoint that does one
 * BullMQ `queue.add` per request and answers 202. No auth, no validation, no job record.
 */
import type { AddressInfo } from 'node:net';
import { parseEnv, sharedEnv } from '@gantry/config';
import { Queue } from 'bullmq';
import express from 'express';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { serveBench } from './serve-bench.js';

const BareEnv = z.object({ ...sharedEnv, BENCH_QUEUE: z.string().default('bench') });

serveBench(async () => {
  const env = parseEnv(BareEnv, process.env);
  const connection = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(env.BENCH_QUEUE, { connection, prefix: `${env.GANTRY_PREFIX}:bull` });
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.post('/v1/jobs/:type', express.json(), async (req, res) => {
    const job = await queue.add(String(req.params['type']), (req.body as { input?: unknown }).input ?? {});
    res.status(202).json({ id: job.id });
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
    },
  };
});
