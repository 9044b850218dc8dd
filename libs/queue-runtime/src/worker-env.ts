import { availableParallelism } from 'node:os';
import { envBool, parseEnv, port, positiveInt, sharedEnv } from '@gantry/config';
import { z } from 'zod';

/**
 * Every worker app's environment. Each worker is its own deployment, so names are unprefixed;
 * the quick start gives each process its own values.
 */
export const WorkerEnv = z.object({
  ...sharedEnv,
  /** Where model files live; `npm run models:fetch` fills it. */
  MODELS_DIR: z.string().default('models'),
  /** Engine processes, and so jobs at a time (default: one per CPU). */
  WORKER_CONCURRENCY: positiveInt(availableParallelism()),
  /** Lock lifetime without renewal: a killed worker's job is picked up after about this long. */
  WORKER_LOCK_MS: positiveInt(30_000),
  WORKER_STALLED_INTERVAL_MS: positiveInt(15_000),
  /** SIGTERM: running jobs get this long to finish before they are handed back. */
  WORKER_SHUTDOWN_GRACE_MS: positiveInt(25_000),
  /** Port of /healthz, /readyz and /metrics (0 picks a free one). */
  WORKER_HEALTH_PORT: port(0),
  WORKER_HEARTBEAT_MS: positiveInt(2_000),
  /** `gpu`: engines with a GPU path (vision's CUDA provider) use it, or fall back to the CPU with one warning. */
  WORKER_DEVICE: z.enum(['cpu', 'gpu']).default('cpu'),
  /** With WORKER_DEVICE=gpu: an engine that cannot use the GPU fails its setup instead of falling back. */
  WORKER_DEVICE_STRICT: envBool.default(false),
  /** Log name of an engine process; the runtime sets it for the processes it starts. */
  GANTRY_SERVICE: z.string().default('engine'),
  /** Images with more pixels are refused before they are decoded (decompression bombs). */
  MAX_IMAGE_PIXELS: positiveInt(40_000_000),
});
export type WorkerEnv = z.infer<typeof WorkerEnv>;

export const loadWorkerEnv = (env: NodeJS.ProcessEnv = process.env) => parseEnv(WorkerEnv, env);
