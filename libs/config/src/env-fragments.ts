import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Variables every Gantry process shares (unprefixed by convention). */
export const sharedEnv = {
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  GANTRY_PREFIX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, "-" and "_"')
    .default('gantry'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BLOB_DIR: z.string().default('.gantry/blobs'),
  /**
   * How long a finished job stays in Redis (PostgreSQL keeps it after). Whoever ends a job sets its
   * expiry — a worker, or the gateway on cancel — so every process reads the one setting.
   */
  JOB_RETENTION_S: positiveInt(86_400),
};

export const envBool = bool;

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);
