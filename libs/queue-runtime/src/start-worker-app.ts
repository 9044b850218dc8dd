import { createLogger, flushTracing, startTracing } from '@gantry/observability';
import { runWorker } from './run-worker.js';
import type { StartWorkerControl } from './worker-control.js';
import { loadWorkerEnv } from './worker-env.js';

/** A worker app's `main`: env → logger → runWorker, and a graceful exit on SIGTERM or drain. */
export async function startWorkerApp(options: {
  app: string;
  version: string;
  module: string;
  /** `startControlAgent` of `@gantry/control-plane`. */
  startControl: StartWorkerControl;
}): Promise<void> {
  const env = loadWorkerEnv();
  const logger = createLogger(options.app, env.LOG_LEVEL);
  if (startTracing(options.app)) logger.info('exporting traces over OTLP/HTTP');
  const worker = await runWorker({
    module: options.module,
    app: options.app,
    version: options.version,
    redisUrl: env.REDIS_URL,
    prefix: env.GANTRY_PREFIX,
    concurrency: env.WORKER_CONCURRENCY,
    lockDurationMs: env.WORKER_LOCK_MS,
    stalledIntervalMs: env.WORKER_STALLED_INTERVAL_MS,
    shutdownGraceMs: env.WORKER_SHUTDOWN_GRACE_MS,
    healthPort: env.WORKER_HEALTH_PORT,
    heartbeatMs: env.WORKER_HEARTBEAT_MS,
    device: env.WORKER_DEVICE,
    logger,
    engineEnv: { GANTRY_SERVICE: `${options.app}-engine` },
    startControl: options.startControl,
    retentionSeconds: env.JOB_RETENTION_S,
    onDrained: () => process.exit(0),
  });
  logger.info({ id: worker.id, health_port: worker.healthPort }, 'worker started');
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      worker
        .close()
        .then(() => flushTracing())
        .then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
    });
  }
}
