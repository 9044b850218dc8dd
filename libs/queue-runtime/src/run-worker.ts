import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { pathToFileURL } from 'node:url';
import { type BlobStore, createBlobStore } from '@gantry/blob-store';
import { type JobContract, type JobRuns, jobCatalogue, GantryError } from '@gantry/contracts';
import { Counter, createMetricsRegistry, Gauge, Histogram, type Logger } from '@gantry/observability';
import { JobStateStore, redisKeys } from '@gantry/job-state';
import { Worker } from 'bullmq';
import { announceJobTypes } from './announce-job-types.js';
import { watchCancels } from './cancel-watch.js';
import type { AnyWorkerDefinition } from './define-worker.js';
import { handlerPlacement, missingHandlers } from './define-worker.js';
import { EnginePool } from './engine/engine-pool.js';
import { EngineProcess } from './engine/engine-process.js';
import { EventLoopEngine } from './engine/event-loop-engine.js';
import type { JobEngine } from './engine/job-engine.js';
import { handlerHost } from './engine/run-handler.js';
import { createRedis } from './create-redis.js';
import { JobProcessor, type SharedTypes } from './job-processor.js';
import type { JobPayload } from './job-payload.js';
import { PrefetchPolicy } from './prefetch-policy.js';
import { retryDelayMs } from './retry-delay.js';
import { checkRedisDurability } from './redis-durability.js';
import type { StartWorkerControl } from './worker-control.js';
import { loadWorkerEnv } from './worker-env.js';
import { startWorkerHealthServer } from './worker-health-server.js';

export interface RunWorkerOptions {
  /** File of the module whose default export is `defineWorker(…)`; engine processes import it. */
  module?: string;
  /**
   * The worker itself, instead of `module`, where its job types run in the event loop (`runs: 'event-loop'`):
   * nothing imports it elsewhere, so a composition root may close its handlers over its own dependencies.
   */
  definition?: AnyWorkerDefinition;
  /** The blob store of an event-loop worker's handlers; by default, the one `engineEnv` describes. */
  blobs?: BlobStore;
  app: string;
  version: string;
  redisUrl: string;
  prefix: string;
  concurrency: number;
  /** How long a job's lock lives without renewal: a SIGKILLed worker's job is picked up after it. */
  lockDurationMs: number;
  stalledIntervalMs: number;
  shutdownGraceMs: number;
  healthPort: number;
  logger: Logger;
  /** Environment of the engine processes (BLOB_DIR, MODELS_DIR, LOG_LEVEL…). */
  engineEnv: NodeJS.ProcessEnv;
  catalogue?: readonly JobContract[];
  /** `JOB_RETENTION_S`: how long a job this worker ends stays in Redis. */
  retentionSeconds: number;
  /** The device asked for (WORKER_DEVICE); the announcement says the one the engines really use. */
  device?: 'cpu' | 'gpu';
  /** Heartbeat period of the worker's announcement; it expires after three missed beats. */
  heartbeatMs?: number;
  /** Called once a drain requested over the control plane has finished (apps exit here). */
  onDrained?: () => void;
  /**
   * Joins the control plane (announcements, pause, resume, drain, cancel): a worker app passes
   * `startControlAgent` of `@gantry/control-plane`. Null runs the worker unannounced and uncommanded
   * (the runtime's own tests); a canceled job still stops, read from its state.
   */
  startControl: StartWorkerControl | null;
}

/** How often a worker reads the state of the jobs it holds, for cancels it was not told about. */
const cancelCheckMs = 1_000;

export type WorkerState = 'starting' | 'ready' | 'not_ready' | 'paused' | 'draining';

export interface RunningWorker {
  id: string;
  healthPort: number;
  state(): { state: WorkerState; reason: string | null };
  enginePids(): number[];
  busy(): number;
  pause(): Promise<void>;
  resume(): void;
  /** Stop taking jobs, let running ones finish within the grace period, hand back the rest. */
  close(): Promise<void>;
}

/** Boots a worker: checks handlers, warms the engines, then takes jobs from its queue. */
export async function runWorker(options: RunWorkerOptions): Promise<RunningWorker> {
  const { logger } = options;
  const definition = options.definition ?? (await importDefinition(options.module));
  const engineEnv = { ...process.env, ...options.engineEnv };
  const createEngine = engineFactory(definition, handlerPlacement(definition), options, engineEnv);
  const missing = missingHandlers(definition, options.catalogue ?? jobCatalogue);
  if (missing.length > 0) {
    throw new Error(
      `worker for queue "${definition.queue}" has no handler for ${missing.join(', ')}: ` +
        `write src/handlers/<verb-noun>.ts and add it to the handlers of ${options.module ?? 'its worker'}`,
    );
  }
  const id = `${options.app}-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const keys = redisKeys(options.prefix);
  let state: WorkerState = 'starting';
  let reason: string | null = 'loading engines';

  const metrics = createMetricsRegistry(options.app);
  const finished = new Counter({
    name: 'gantry_jobs_finished_total',
    help: 'Jobs finished by outcome',
    labelNames: ['type', 'outcome'],
    registers: [metrics],
  });
  const duration = new Histogram({
    name: 'gantry_job_duration_seconds',
    help: 'Job run time',
    labelNames: ['type', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [metrics],
  });
  const busyGauge = new Gauge({
    name: 'gantry_worker_busy_slots',
    help: 'Slots running a job',
    registers: [metrics],
  });

  const redis = createRedis(options.redisUrl, logger, 'blocking');
  const store = new JobStateStore(redis, options.prefix, options.retentionSeconds);
  await checkRedisDurability(redis, logger).catch((error: unknown) =>
    logger.warn({ err: error }, 'could not check Redis durability'),
  );

  const health = await startWorkerHealthServer(
    options.healthPort,
    () => ({ ok: state === 'ready', reason }),
    metrics,
  );
  const sharing = engineSharing(definition, engineEnv);
  const pool = new EnginePool(options.concurrency, createEngine, logger, sharing?.jobsPerEngine);
  // Taking as many jobs as the engines can run together lets the shared ones meet in an engine; jobs of
  // other types among them wait, held, for an idle engine.
  const prefetch = new PrefetchPolicy(options.concurrency * (sharing?.jobsPerEngine ?? 1));
  const processor = new JobProcessor(
    pool,
    store,
    id,
    logger,
    {
      onFinished: (type, outcome, seconds) => {
        finished.inc({ type, outcome });
        duration.observe({ type, outcome }, seconds);
        const take = prefetch.observe(seconds * 1_000);
        if (worker.concurrency !== take) worker.concurrency = take;
      },
      busyChanged: (delta) => busyGauge.inc(delta),
    },
    sharing,
  );

  const worker = new Worker<JobPayload>(definition.queue, processor.process, {
    // The job state's connection: the processor's writes and BullMQ's completion then reach Redis in
    // the order they were sent (BullMQ makes its own blocking connection for waiting on jobs).
    connection: redis,
    prefix: keys.bullPrefix,
    concurrency: prefetch.initial,
    lockDuration: options.lockDurationMs,
    stalledInterval: options.stalledIntervalMs,
    // Stalled jobs always go back to the queue; the processor fails them with WORKER_LOST once attempts run out.
    maxStalledCount: 1_000,
    autorun: false,
    name: id,
    // The retry delay of the jobs' `gantry` backoff: the one the processor records (retry-delay.ts).
    settings: {
      backoffStrategy: (failures, _type, _error, job) =>
        job ? retryDelayMs(job.data as JobPayload, failures) : 0,
    },
  });
  worker.on('error', (error) => logger.error({ err: error }, 'worker error'));

  const cancels = watchCancels({ redis, store, processor, logger, intervalMs: cancelCheckMs });

  const startedAt = new Date().toISOString();
  const jobTypes = announceJobTypes(definition.contracts);
  const heartbeatMs = options.heartbeatMs ?? 2_000;
  const noControl = { stop: async () => undefined };
  const command = definition.commands?.({ logger });
  const control = await (options.startControl ?? (async () => noControl))({
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    heartbeatMs,
    ttlMs: heartbeatMs * 3,
    logger,
    announce: () => ({
      id,
      app: options.app,
      version: options.version,
      host: hostname(),
      pid: process.pid,
      queue: definition.queue,
      concurrency: options.concurrency,
      busy: processor.busy,
      // What really runs, as the engines report it: a GPU request that fell back announces `cpu`.
      device: pool.device?.device ?? 'cpu',
      state,
      state_reason: reason,
      models: pool.models,
      job_types: jobTypes,
      started_at: startedAt,
      heartbeat_at: new Date().toISOString(),
    }),
    handlers: {
      pause: () => pause(),
      resume: async () => resume(),
      drain: async () => {
        await close();
        options.onDrained?.();
      },
      cancel: async (jobId) => {
        if (processor.cancel(jobId)) logger.info({ jobId }, 'cancel received; stopping engine');
      },
      ...(command ? { command } : {}),
    },
  });

  let paused = false;
  const pause = async () => {
    paused = true;
    if (state === 'ready') state = 'paused';
    await worker.pause(true);
  };
  const resume = () => {
    paused = false;
    if (state === 'paused') state = 'ready';
    void worker.resume();
  };

  try {
    const loaded = await pool.start();
    if (options.device === 'gpu' && loaded.device?.device !== 'gpu') {
      // One line per worker, not one per engine process: each engine found the same.
      logger.warn(
        {
          requested: 'gpu',
          device: 'cpu',
          reason: loaded.device?.fallback ?? 'these engines have no GPU path',
        },
        'WORKER_DEVICE=gpu, but the engines run on the CPU',
      );
    }
    logger.info(
      { models: loaded.models, concurrency: options.concurrency, queue: definition.queue, id },
      'engines ready',
    );
    state = paused ? 'paused' : 'ready';
    reason = null;
    void worker.run().catch((error: unknown) => logger.error({ err: error }, 'worker stopped'));
  } catch (error) {
    state = 'not_ready';
    // The code leads the reason, so an operator reading a worker's or a queued job's status sees which
    // documented condition it is (MODEL_MANIFEST_INVALID, MODEL_UNAVAILABLE…) without the worker's logs.
    const failure = GantryError.from(error, 'MODEL_UNAVAILABLE');
    reason = `${failure.code}: ${failure.message}`;
    logger.error({ code: failure.code, reason }, 'engines failed to load; this worker takes no jobs');
  }

  let closing: Promise<void> | null = null;
  const close = () => (closing ??= shutdown());
  const shutdown = async () => {
    state = 'draining';
    reason = 'shutting down';
    processor.stopTaking();
    const grace = setTimeout(() => {
      logger.warn({ jobs: processor.runningJobIds() }, 'grace period over; handing running jobs back');
      processor.handBackAll();
    }, options.shutdownGraceMs);
    await worker.close();
    clearTimeout(grace);
    cancels.stop();
    await control.stop().catch(() => undefined);
    await pool.close();
    await redis.quit().catch(() => undefined);
    await new Promise((resolve) => health.server.close(resolve));
  };

  return {
    id,
    healthPort: health.port,
    state: () => ({ state, reason }),
    enginePids: () => pool.pids(),
    busy: () => processor.busy,
    pause,
    resume,
    close,
  };
}

/** The worker's `engineSharing`, resolved once; null when every job has an engine of its own. */
function engineSharing(
  definition: AnyWorkerDefinition,
  env: NodeJS.ProcessEnv,
): (SharedTypes & { jobsPerEngine: number }) | null {
  const sharing = definition.engineSharing;
  if (!sharing) return null;
  const jobsPerEngine = sharing.jobsPerEngine(env);
  if (!Number.isInteger(jobsPerEngine) || jobsPerEngine < 1) {
    throw new Error(`worker for queue "${definition.queue}": jobs per engine must be a positive integer`);
  }
  if (jobsPerEngine === 1) return null;
  if (handlerPlacement(definition) !== 'engine') {
    throw new Error(`worker for queue "${definition.queue}": only engine processes can share jobs`);
  }
  return { types: new Set(sharing.types), graceMs: sharing.graceMs ?? 2_000, jobsPerEngine };
}

async function importDefinition(module: string | undefined): Promise<AnyWorkerDefinition> {
  if (!module)
    throw new Error('runWorker needs the worker module (or, for an event-loop worker, its definition)');
  return ((await import(pathToFileURL(module).href)) as { default: AnyWorkerDefinition }).default;
}

/**
 * Engine processes each load the module and run its setup (ADR 0002); event-loop engines share one setup, run
 * here, and the blob store of the same settings an engine process would read.
 */
function engineFactory(
  definition: AnyWorkerDefinition,
  placement: JobRuns,
  options: RunWorkerOptions,
  env: NodeJS.ProcessEnv,
): () => JobEngine {
  const { module, logger } = options;
  if (placement === 'engine') {
    if (!module)
      throw new Error(`worker for queue "${definition.queue}" runs engine processes: give its module`);
    const flags = definition.engineNodeFlags ?? [];
    return () => new EngineProcess(module, env, flags);
  }
  let host: ReturnType<typeof startHost> | null = null;
  const startHost = async () => {
    const workerEnv = loadWorkerEnv(env);
    const setup = await definition.setup({ logger, env: workerEnv });
    return handlerHost(definition, setup, options.blobs ?? createBlobStore(workerEnv), logger);
  };
  return () => new EventLoopEngine((host ??= startHost()));
}
