/** Child entry: a Gantry worker (runWorker with its engine processes) for one worker module. */
import { envBool, parseEnv } from '@gantry/config';
import { startControlAgent } from '@gantry/control-plane';
import { createLogger } from '@gantry/observability';
import { loadWorkerEnv, runWorker } from '@gantry/queue-runtime';
import { z } from 'zod';
import { serveBench } from './serve-bench.js';

const BenchWorkerEnv = z.object({
  BENCH_WORKER_MODULE: z.string().min(1, 'set BENCH_WORKER_MODULE to the worker module file'),
  BENCH_WORKER_APP: z.string().default('bench-worker'),
  /** Announce the job types but take no job, so a queue only fills. */
  BENCH_WORKER_PAUSED: envBool.default(false),
});

serveBench(async () => {
  const env = loadWorkerEnv();
  const bench = parseEnv(BenchWorkerEnv, process.env);
  const worker = await runWorker({
    module: bench.BENCH_WORKER_MODULE,
    app: bench.BENCH_WORKER_APP,
    version: '0.0.0',
    redisUrl: env.REDIS_URL,
    prefix: env.GANTRY_PREFIX,
    concurrency: env.WORKER_CONCURRENCY,
    lockDurationMs: env.WORKER_LOCK_MS,
    stalledIntervalMs: env.WORKER_STALLED_INTERVAL_MS,
    shutdownGraceMs: 2_000,
    healthPort: 0,
    heartbeatMs: env.WORKER_HEARTBEAT_MS,
    logger: createLogger(bench.BENCH_WORKER_APP, env.LOG_LEVEL),
    engineEnv: { GANTRY_SERVICE: `${bench.BENCH_WORKER_APP}-engine` },
    startControl: startControlAgent,
    retentionSeconds: env.JOB_RETENTION_S,
  });
  const { state, reason } = worker.state();
  if (state !== 'ready') {
    await worker.close();
    throw new Error(`worker ${bench.BENCH_WORKER_APP} is ${state}: ${reason ?? ''}`);
  }
  if (bench.BENCH_WORKER_PAUSED) await worker.pause();
  return { url: null, pids: worker.enginePids(), close: () => worker.close() };
});
