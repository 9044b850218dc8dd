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
  /** Where uploads live: `file` (BLOB_DIR, one machine or a shared volume) or `s3` (an S3-compatible bucket). */
  BLOB_STORE: z.enum(['file', 's3']).default('file'),
  BLOB_DIR: z.string().default('.gantry/blobs'),
  /** The bucket of `BLOB_STORE=s3`; credentials come from the AWS SDK's own chain (AWS_ACCESS_KEY_ID…, a role). */
  S3_BUCKET: z.string().min(1).optional(),
  /** An S3-compatible service's URL (MinIO, Ceph, R2…); AWS itself when left out. */
  S3_ENDPOINT: z.url().optional(),
  /** The bucket's region; the SDK's own (AWS_REGION) when left out. */
  S3_REGION: z.string().min(1).optional(),
  /** `bucket` in the path rather than the host name, as most S3-compatible services want. */
  S3_FORCE_PATH_STYLE: bool.default(false),
  /** Prepended to every key, so one bucket can hold several stacks. */
  S3_KEY_PREFIX: z.string().default(''),
  /**
   * How long a finished job stays in Redis (PostgreSQL keeps it after). Whoever ends a job sets its
   * expiry — a worker, or the gateway on cancel — so every process reads the one setting.
   */
  JOB_RETENTION_S: positiveInt(86_400),
};

/**
 * PostgreSQL's side of retention, read by the gateway, whose pruner applies it: a finished job's row,
 * history and notifications are deleted this many days after it ended (0: kept forever). 30 days by
 * default, so that a busy installation's database stays bounded (a million jobs a day: about 30 million
 * rows) while a month of history stays readable for support and audits.
 */
export const recordRetentionEnv = {
  JOB_RECORD_RETENTION_DAYS: z.coerce.number().int().min(0).default(30),
};

export const envBool = bool;

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);
