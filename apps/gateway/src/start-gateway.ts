import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { createBlobStore } from '@gantry/blob-store';
import { createControlClient, startControlAgent } from '@gantry/control-plane';
import {
  createApiKeyRepository,
  createBatchRepository,
  createJobRepository,
  createPool,
  createRecorder,
  migrate,
} from '@gantry/job-store';
import {
  createLogger,
  type Logger,
  createMetricsRegistry,
  flushTracing,
  Gauge,
  startTracing,
} from '@gantry/observability';
import {
  checkRedisDurability,
  createRedis,
  JobProducer,
  runFlowWorker,
  runWorker,
  startDeadlineSweeper,
} from '@gantry/queue-runtime';
import { JobCatalogue } from './catalogue/job-catalogue.js';
import { flowWorker } from './flow/flow-worker.js';
import { startBlobSweeper } from './blobs/blob-sweeper.js';
import { startJobRecordPruner } from './retention/job-record-pruner.js';
import { startOverdueJobSweeper } from './retention/overdue-job-sweeper.js';
import type { GatewayEnv } from './env.js';
import { JobEventsHub } from './jobs/job-events-hub.js';
import { JobReader } from './jobs/job-reader.js';
import { QueueAvailability } from './jobs/queue-availability.js';
import { BatchFeeder, batchQueue } from './batches/batch-feeder.js';
import { Batches } from './batches/batches.js';
import { askModelRegistry } from './models/ask-model-registry.js';
import { checkModelFeatures } from './models/check-model-features.js';
import { ModelFeaturesCache } from './models/model-features-cache.js';
import { PipelineOrchestrator, pipelineQueue } from './pipelines/pipeline-orchestrator.js';
import { PipelineRuns } from './pipelines/pipeline-runs.js';
import { ApiKeyChanges } from './keys/api-key-changes.js';
import { AuthGuard } from './limits/auth-guard.js';
import { RateLimiter } from './limits/rate-limiter.js';
import { TenantHolds } from './limits/tenant-holds.js';
import { UploadQuota } from './limits/upload-quota.js';
import { startDeliveryWorker } from './notifications/delivery-worker.js';
import { createMailer } from './notifications/mailer.js';
import { NotificationLog } from './notifications/notification-log.js';
import { NotificationQueue } from './notifications/notification-queue.js';
import { WebhookAddressPolicy } from './notifications/webhook-address-policy.js';
import { SecretCipher } from './notifications/secret-cipher.js';
import { WebhookSecrets } from './notifications/webhook-secrets.js';
import { runScheduledJob } from './schedules/run-scheduled-job.js';
import { ScheduleStore } from './schedules/schedule-store.js';
import { Scheduler, startScheduleWorker } from './schedules/scheduler.js';
import { registerRecordsBacklogGauge } from './recorder/records-backlog-gauge.js';
import { createMetricsServer } from './routes/metrics-routes.js';
import { startRecorderThread } from './recorder/recorder-thread.js';
import { registerQueueGauges } from './scaling/queue-gauges.js';
import { QueueSignals } from './scaling/queue-signals.js';
import { createServer } from './server.js';
import { createExpressHttpServer } from './http/express-http-server.js';
import { RequestDrain } from './http/request-drain.js';
import { registerRequestsInFlightGauge } from './http/requests-in-flight-gauge.js';

export interface RunningGateway {
  url: string;
  /** The Express app: tests read its routes from it. */
  app: Express;
  /** Where `/metrics` is served without a key (GATEWAY_METRICS_PORT). */
  metricsUrl: string;
  close(): Promise<void>;
}

const version = process.env['npm_package_version'] ?? '0.1.0';

/**
 * How often one replica prunes job records past JOB_RECORD_RETENTION_DAYS: often enough that a round's
 * backlog is small (a million jobs a day: 7,000 a round), and a round with nothing to prune is one
 * index probe per step.
 */
const recordPruneIntervalMs = 10 * 60_000;
/** JOB_MAX_LIFETIME_S is days by default: a job past it is ended within a minute. */
const overdueSweepIntervalMs = 60_000;

/** Composition root: env → logger → store → producer → server. Migrations run before it listens. */
export async function startGateway(env: GatewayEnv): Promise<RunningGateway> {
  const logger = createLogger('gateway', env.LOG_LEVEL);
  if (startTracing('gateway')) logger.info('exporting traces over OTLP/HTTP');
  const metrics = createMetricsRegistry('gateway');
  const redis = createRedis(env.REDIS_URL, logger, 'fail-fast');
  const subscriber = createRedis(env.REDIS_URL, logger, 'subscriber');
  // BullMQ's queues get a connection of their own: its 60-odd scripts would otherwise be copied into every
  // autopipelined batch of the request path (see `JobProducerOptions.queueConnection`).
  const queueRedis = createRedis(env.REDIS_URL, logger, 'fail-fast');
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
      WEBHOOK_RETRY_BASE_MS: env.WEBHOOK_RETRY_BASE_MS,
      WEBHOOK_RETRY_WINDOW_S: env.WEBHOOK_RETRY_WINDOW_S,
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
    queueConnection: queueRedis,
  });
  const deadlineSweeper = startDeadlineSweeper({ producer, logger });
  // Every replica moves pipeline runs and batches on; their state is in Redis and PostgreSQL, never here.
  const entryFor = (type: string) => catalogue.resolve(type, refreshCatalogue);
  const orchestrator = new PipelineOrchestrator({ producer, repository, entryFor, logger });
  const flow = { redisUrl: env.REDIS_URL, prefix: env.GANTRY_PREFIX, logger };
  const pipelines = runFlowWorker({
    ...flow,
    queue: pipelineQueue,
    concurrency: env.GATEWAY_PIPELINE_CONCURRENCY,
    advance: orchestrator.advance,
    giveUp: orchestrator.giveUp,
  });
  const reader = new JobReader(producer.store, repository, new QueueAvailability(control));
  const blobs = createBlobStore(env);
  const runs = new PipelineRuns({ producer, repository, reader, blobs, entryFor });
  const batchRows = createBatchRepository(pool);
  const feeder = new BatchFeeder({
    producer,
    batches: batchRows,
    runs,
    reader,
    entryFor,
    logger,
    window: env.GATEWAY_BATCH_WINDOW,
  });
  const batchFeeders = runFlowWorker({
    ...flow,
    queue: batchQueue,
    concurrency: env.GATEWAY_PIPELINE_CONCURRENCY,
    advance: feeder.advance,
    giveUp: feeder.giveUp,
    recheckMs: 250,
  });
  // Scoring inputs are checked against their model version's features at submission (ADR 0011).
  const askModels = askModelRegistry(control);
  const models = { ask: askModels, features: new ModelFeaturesCache(askModels, { logger }) };
  const checkInput = checkModelFeatures(models.features);
  const batches = new Batches({
    producer,
    blobs,
    batches: batchRows,
    reader,
    feeder,
    maxItems: env.GATEWAY_BATCH_MAX_ITEMS,
    checkInput,
  });
  registerQueueGauges(metrics, new QueueSignals({ redis, producer, control, logger }));
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
  // Never under JOB_RETENTION_S: the blob sweeper keeps a blob while a job ended within that names it,
  // which it can only see while the job's row is there.
  const recordPruner =
    env.JOB_RECORD_RETENTION_DAYS > 0
      ? startJobRecordPruner({
          pool,
          redis,
          prefix: env.GANTRY_PREFIX,
          retentionSeconds: Math.max(env.JOB_RECORD_RETENTION_DAYS * 86_400, env.JOB_RETENTION_S),
          intervalMs: recordPruneIntervalMs,
          logger,
        })
      : null;
  const overdueSweeper = startOverdueJobSweeper({
    pool,
    redis,
    producer,
    prefix: env.GANTRY_PREFIX,
    maxLifetimeSeconds: env.JOB_MAX_LIFETIME_S,
    intervalMs: overdueSweepIntervalMs,
    logger,
  });
  registerRecordsBacklogGauge(metrics, redis, env.GANTRY_PREFIX);
  const keys = createApiKeyRepository(pool, { logger });
  const keyChanges = new ApiKeyChanges(redis, env.GANTRY_PREFIX);
  await keyChanges.listen(subscriber, keys);
  const holds = new TenantHolds(redis, env.GANTRY_PREFIX, {
    event_streams: env.GATEWAY_SSE_STREAMS_PER_TENANT,
    wait_holds: env.GATEWAY_WAIT_HOLDS_PER_TENANT,
  });
  const retry = { baseMs: env.WEBHOOK_RETRY_BASE_MS, windowSeconds: env.WEBHOOK_RETRY_WINDOW_S };
  const mailer = createMailer(env);
  const notify = {
    policy: new WebhookAddressPolicy(env.WEBHOOK_ALLOWED_HOSTS),
    secrets: new WebhookSecrets(
      pool,
      new SecretCipher(env.WEBHOOK_SECRET_KEY, env.WEBHOOK_SECRET_KEY_PREVIOUS),
    ),
    log: new NotificationLog(pool),
    queue: new NotificationQueue(queueRedis, env.GANTRY_PREFIX, retry),
    emailEnabled: mailer !== null,
    secretGraceSeconds: env.WEBHOOK_SECRET_GRACE_S,
  };
  const deliveries = startDeliveryWorker({
    redisUrl: env.REDIS_URL,
    prefix: env.GANTRY_PREFIX,
    logger: logger.child({ component: 'notifications' }),
    log: notify.log,
    secrets: notify.secrets,
    policy: notify.policy,
    mailer,
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    concurrency: env.NOTIFY_CONCURRENCY,
    publicUrl: env.GANTRY_PUBLIC_URL,
  });
  // Steps that only move data or talk to the network (ADR 0010): run here, in the event loop, with the
  // notification machinery they use; the gateway announces itself as the `flow` queue's worker.
  const flowSteps = await runWorker({
    definition: flowWorker({ notify }),
    blobs,
    app: 'gateway-flow',
    version,
    redisUrl: env.REDIS_URL,
    prefix: env.GANTRY_PREFIX,
    concurrency: env.GATEWAY_PIPELINE_CONCURRENCY,
    lockDurationMs: 30_000,
    stalledIntervalMs: 15_000,
    shutdownGraceMs: 10_000,
    healthPort: 0,
    logger: logger.child({ component: 'flow' }),
    engineEnv: {},
    retentionSeconds: env.JOB_RETENTION_S,
    startControl: startControlAgent,
  });
  const schedules = {
    store: new ScheduleStore(pool, env.TENANT_MAX_SCHEDULES),
    scheduler: new Scheduler(queueRedis, env.GANTRY_PREFIX),
  };
  const ticks = startScheduleWorker({
    redisUrl: env.REDIS_URL,
    prefix: env.GANTRY_PREFIX,
    logger: logger.child({ component: 'schedules' }),
    store: schedules.store,
    run: runScheduledJob({ catalogue, refreshCatalogue, producer, runs, blobs, checkInput }),
    misfireGraceMs: env.SCHEDULE_MISFIRE_GRACE_S * 1_000,
  });
  const drain = new RequestDrain();
  registerRequestsInFlightGauge(metrics, drain);
  const app = createServer({
    drain,
    notify,
    schedules,
    version,
    logger,
    metrics,
    redis,
    pool,
    producer,
    repository,
    keys,
    blobs,
    control,
    models,
    catalogue,
    hub,
    refreshCatalogue,
    workflows: { runs, batches },
    limits: {
      jsonBytes: env.GATEWAY_JSON_LIMIT_BYTES,
      fileBytes: env.GATEWAY_FILE_LIMIT_BYTES,
      maxWaitSeconds: env.GATEWAY_MAX_WAIT_S,
    },
    tenancy: {
      rateLimiter: new RateLimiter(redis, env.GANTRY_PREFIX),
      rateDefaults: { ratePerSecond: env.GATEWAY_RATE_LIMIT_PER_S, burst: env.GATEWAY_RATE_LIMIT_BURST },
      authGuard: new AuthGuard(redis, env.GANTRY_PREFIX, env.GATEWAY_AUTH_FAILURES_PER_MIN),
      holds,
      uploads: new UploadQuota(redis, env.GANTRY_PREFIX, env.GATEWAY_UPLOAD_BYTES_PER_DAY),
      keyChanges,
    },
  });
  const listen = (handler: typeof app, port: number): Promise<Server> =>
    new Promise((resolve, reject) => {
      const listening = createExpressHttpServer(handler).listen(port, env.GATEWAY_HOST, () =>
        resolve(listening),
      );
      listening.once('error', reject);
    });
  const server = await listen(app, env.GATEWAY_PORT);
  server.keepAliveTimeout = 65_000;
  const metricsServer = await listen(createMetricsServer(metrics), env.GATEWAY_METRICS_PORT);
  const host = env.GATEWAY_HOST === '0.0.0.0' ? '127.0.0.1' : env.GATEWAY_HOST;
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  const metricsUrl = `http://${host}:${(metricsServer.address() as AddressInfo).port}`;
  logger.info({ url, metricsUrl }, 'gateway listening');
  const resealing = resealWebhookSecrets(notify.secrets, logger);

  let closing: Promise<void> | null = null;
  const close = async () => {
    clearInterval(catalogueTimer);
    // No new connections; idle keep-alive ones close now, busy ones once their request is answered.
    const closed = Promise.all([
      new Promise((resolve) => server.close(resolve)),
      new Promise((resolve) => metricsServer.close(resolve)),
    ]);
    if (!(await drain.drain(env.GATEWAY_DRAIN_S * 1_000))) {
      logger.warn(
        { inFlight: drain.inFlight },
        'requests still unanswered after the drain time; cutting them',
      );
    }
    server.closeAllConnections();
    metricsServer.closeAllConnections();
    holds.close();
    await closed;
    await Promise.all([
      resealing.stop(),
      recorder.stop(),
      deadlineSweeper.stop(),
      blobSweeper.stop(),
      recordPruner?.stop(),
      overdueSweeper.stop(),
      pipelines.close(),
      batchFeeders.close(),
      deliveries.close(),
      flowSteps.close(),
      ticks.close(),
    ]);
    await Promise.allSettled([
      producer.close(),
      hub.close(),
      control.close(),
      notify.queue.close(),
      schedules.scheduler.close(),
    ]);
    await Promise.all([redis.quit().catch(() => undefined), queueRedis.quit().catch(() => undefined)]);
    await pool.end();
    await flushTracing().catch(() => undefined);
  };
  return {
    url,
    app,
    metricsUrl,
    // Once, however often it is called (a test may stop a gateway that its harness stops again).
    close: () => (closing ??= close()),
  };
}

/**
 * Seals the rows stored before encryption, or with the previous key, with the current one: after the
 * listen, so a long pass never holds up readiness (deliveries seal what they read meanwhile). Its log line
 * tells an operator when WEBHOOK_SECRET_KEY_PREVIOUS can go.
 */
function resealWebhookSecrets(secrets: WebhookSecrets, logger: Logger): { stop(): Promise<void> } {
  const stopping = new AbortController();
  const pass = secrets.resealAll(stopping.signal).then(
    ({ resealed, unreadable }) => {
      if (unreadable > 0) {
        logger.error(
          { resealed, unreadable },
          'webhook secrets that neither WEBHOOK_SECRET_KEY nor WEBHOOK_SECRET_KEY_PREVIOUS opens: their deliveries fail with WEBHOOK_SECRET_UNREADABLE',
        );
      } else if (resealed > 0) logger.info({ resealed }, 'webhook secrets sealed with the current key');
    },
    (error: unknown) => logger.warn({ err: error }, 'could not seal webhook secrets with the current key'),
  );
  return {
    async stop() {
      stopping.abort();
      await pass;
    },
  };
}
