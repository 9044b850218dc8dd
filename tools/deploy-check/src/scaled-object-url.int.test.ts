import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadGatewayEnv, type RunningGateway, startGateway } from '@gantry/gateway';
import { createPool } from '@gantry/job-store';
import { JobProducer } from '@gantry/queue-runtime';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusSample } from './prometheus-sample.js';
import { kubectl, ofKind, overlays, renderOverlay } from './render-overlay.js';

// Starts the real gateway (real Redis and PostgreSQL, own prefix and schema) and asks it exactly what each
// rendered ScaledObject asks: the path and query of its URL, read as KEDA reads it (metrics-api, format
// prometheus, valueLocation as a selector). Only the host differs: the cluster's Service name is this gateway.
const id = `${process.pid}_${Date.now()}`;
const prefix = `t-scaler-${id}`;
const schema = `scaler_${id}`;
const admin = createPool('postgres://postgres@127.0.0.1:5432/test');
const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
let gateway: RunningGateway;
let blobDir: string;

beforeAll(async () => {
  await admin.query(`CREATE SCHEMA ${schema}`);
  blobDir = await mkdtemp(path.join(tmpdir(), 'gantry-scaler-'));
  gateway = await startGateway(
    loadGatewayEnv({
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/test?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      GANTRY_PREFIX: prefix,
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PORT: '0',
      GATEWAY_METRICS_PORT: '0',
      BLOB_DIR: blobDir,
      LOG_LEVEL: 'warn',
      WEBHOOK_SECRET_KEY: randomBytes(32).toString('hex'),
    }),
  );
});

afterAll(async () => {
  await gateway?.close();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await rm(blobDir, { recursive: true, force: true });
});

describe.skipIf(!kubectl).each(overlays)(
  `the ScaledObjects of overlay %s${kubectl ? '' : ' (skipped: no kubectl on PATH to render the overlays)'}`,
  (overlay) => {
    it('read a number of replicas from the URL they name, and more once their queue has a backlog', async () => {
      const scaledObjects = ofKind(await renderOverlay(overlay), 'ScaledObject');
      expect(scaledObjects).toHaveLength(4);
      const producer = new JobProducer(redis, prefix, { retentionSeconds: 60 });
      for (const scaled of scaledObjects) {
        const trigger = scaled.spec.triggers[0] as { metadata: { url: string; valueLocation: string } };
        const url = new URL(trigger.metadata.url);
        const read = async () => {
          const response = await fetch(`${gateway.metricsUrl}${url.pathname}${url.search}`);
          expect(response.status).toBe(200);
          return prometheusSample(await response.text(), trigger.metadata.valueLocation);
        };
        const before = await read();
        expect(before, `${scaled.metadata.name}: ${trigger.metadata.valueLocation}`).not.toBeNull();

        // A job with the default priority sits in BullMQ's prioritized set; the scaler must still see it.
        const queue = /queue="(\w+)"/.exec(trigger.metadata.valueLocation)?.[1] ?? '';
        await producer.submit({
          tenant: 'acme',
          type: `${queue}.test`,
          queue,
          defaults: { attempts: 1, timeoutMs: 1_000, backoffMs: 100 },
          input: {},
        });
        // The gateway reads the queues at most every 1.5 s, so scrapes stay cheap: wait that out.
        await new Promise((resolve) => setTimeout(resolve, 1_600));
        expect(await read()).toBeGreaterThanOrEqual(1);
      }
      await producer.close();
    });
  },
);
