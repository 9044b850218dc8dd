import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBlobStore } from '@gantry/blob-store';
import { createControlClient } from '@gantry/control-plane';
import {
  createApiKeyRepository,
  createJobRepository,
  createPool,
  createRecorder,
  migrate,
} from '@gantry/job-store';
import { createLogger, createMetricsRegistry, Gauge } from '@gantry/observability';
import { checkRedisDurability, createRedis, JobProducer, startDeadlineSweeper } from '@gantry/queue-runtime';
import { JobCatalogue } from './catalogue/job-catalogue.js';
import { startBlobSweeper } from './blobs/blob-sweeper.js';
import type { GatewayEnv } from './env.js';
import { JobEventsHub } from './jobs/job-events-hub.js';
import { registerRecordsBacklogGauge } from './recorder/records-backlog-gauge.js';
import { startRecorderThread } from './recorder/recorder-thread.js';
import { registerQueueGauges } from './scaling/queue-gauges.js';
import { QueueSignals } from './scaling/queue-signals.js';
import { createServer } from './server.js';

export interface RunningGateway {
  url: string;
  close(): Promise<void>;
}

const version = process.env['npm_package_version'] ?? '0.1.0';

/** Composition root: env → logger → store → producer → server. Migrations run before it listens. */
export async function startGateway(env: GatewayEnv): Promise<RunningGateway> {
  const logger = createLogger('gateway', env.LOG_LEVEL);
  const metrics = createMetricsRegistry('gateway');
  const redis = createRedis(env.REDIS_URL, logger, 'fail-fast');
  const subscriber = createRedis(env.REDIS_URL, logger, 'blocking');
  const pool = createPool(env.DATABASE_URL);
  await migrate(pool);
  await checkRedisDurability(redis, logger).catch((error: unknown) =>
    logger.warn({ err: error }, 'could not check Redis'),
  );

  const lag = new Gauge({
    name: 'gantry_recorder_lag_seconds',
    help: 'Age of the oldest entry of the last batch written to Postgres',
    registers: [metrics],
  });
  lag.set(0);
  const recorder = startRecorderThread({
    settings: {
      REDIS_URL: env.REDIS_URL,
      DATABASE_URL: env.DATABASE_URL,
      GANTRY_PREFIX: env.GANTRY_PREFIX,
      LOG_LEVEL: env.LOG_LEVEL,
    },
    logger,
    onBatch: (lagMs) => lag.set(lagMs / 1_000),
  });

  const control = await createControlClient({ redisUrl: env.REDIS_URL, prefix: env.GANTRY_PREFIX, logger });
  const catalogue = new JobCatalogue();
  const refreshCatalogue = async () => {
    // With Redis away the announced types are kept: their requests answer 503 (retry), not 404 (unknown type).
    const workers = await control.listWorkers().catch(() => null);
    if (workers) catalogue.updateAnnounced(workers.flatMap((worker) => worker.job_types));
  };
  await refreshCatalogue();
  const catalogueTimer = setInterval(() => void refreshCatalogue(), 5_000);

  const hub = new JobEventsHub(subscriber, env.GANTRY_PREFIX);
  const repository = createJobRepository(pool);
  const producer = new JobProducer(redis, env.GANTRY_PREFIX, {
    retentionSeconds: env.JOB_RETENTION_S,
    announceCancel: (jobId, queue) => control.cancelJob(jobId, queue),
    maxLifetimeSeconds: env.JOB_MAX_LIFETIME_S,
    maxUnrecorded: env.GATEWAY_MAX_UNRECORDED,
    readRecorded: (tenant, id) => repository.get(tenant, id),
    maxActiveJobsPerTenant: env.TENANT_MAX_ACTIVE_JOBS,
  });
  const deadlineSweeper = startDeadlineSweeper({ producer, logger });
  registerQueueGauges(metrics, new QueueSignals({ redis, producer, control, logger }));
  const blobs = createBlobStore(env);
  // Never started: it only reads how far the recorders (the thread above, other replicas) have got.
  const records = createRecorder({ redis, pool, logger, prefix: env.GANTRY_PREFIX });
  const blobSweeper = startBlobSweeper({
    blobs,
    pool,
    redis,
    prefix: env.GANTRY_PREFIX,
    retentionSeconds: env.JOB_RETENTION_S,
    intervalMs: env.BLOB_SWEEP_INTERVAL_S * 1_000,
    unrecordedAgeMs: async () => (await records.backlog()).oldestAgeMs,
    logger,
  });
  registerRecordsBacklogGauge(metrics, redis, env.GANTRY_PREFIX);
  const app = createServer({
    version,
    logger,
    metrics,
    redis,
    pool,
    producer,
    repository,
    keys: createApiKeyRepository(pool, { logger }),
    blobs,
    control,
    catalogue,
    hub,
    refreshCatalogue,
    limits: {
      jsonBytes: env.GATEWAY_JSON_LIMIT_BYTES,
      fileBytes: env.GATEWAY_FILE_LIMIT_BYTES,
      maxWaitSeconds: env.GATEWAY_MAX_WAIT_S,
    },
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(env.GATEWAY_PORT, env.GATEWAY_HOST, () => resolve(listening));
  });
  server.keepAliveTimeout = 65_000;
  const address = server.address() as AddressInfo;
  const url = `http://${env.GATEWAY_HOST === '0.0.0.0' ? '127.0.0.1' : env.GATEWAY_HOST}:${address.port}`;
  logger.info({ url }, 'gateway listening');

  return {
    url,
    async close() {
      clearInterval(catalogueTimer);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await Promise.all([recorder.stop(), deadlineSweeper.stop(), blobSweeper.stop()]);
      await Promise.allSettled([producer.close(), hub.close(), control.close()]);
      await redis.quit().catch(() => undefined);
      await pool.end();
    },
  };
}
