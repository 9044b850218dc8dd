import { envBool, parseEnv, port, positiveInt, recordRetentionEnv, sharedEnv } from '@gantry/config';
import { z } from 'zod';
import { SecretKey } from './notifications/secret-cipher.js';

/** A limit where 0 turns it off. */
const limit = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

export const GatewayEnv = z.object({
  ...sharedEnv,
  ...recordRetentionEnv,
  DATABASE_URL: z
    .string()
    .min(1, 'set DATABASE_URL to a PostgreSQL URL (the quick start runs an embedded one)'),
  GATEWAY_HOST: z.string().default('0.0.0.0'),
  GATEWAY_PORT: port(8080),
  /** `/metrics` listens here, on GATEWAY_HOST, apart from the API (0: a free port). */
  GATEWAY_METRICS_PORT: port(9464),
  /** Largest JSON body, in bytes. */
  GATEWAY_JSON_LIMIT_BYTES: positiveInt(1_048_576),
  /** Largest uploaded file, in bytes. */
  GATEWAY_FILE_LIMIT_BYTES: positiveInt(50 * 1_048_576),
  /** Longest `Prefer: wait=N`, in seconds. */
  GATEWAY_MAX_WAIT_S: positiveInt(60),
  /** On SIGTERM, how long requests already begun may take to be answered before their connections are cut. */
  GATEWAY_DRAIN_S: positiveInt(10),
  /** Requests per second per API key, shared by every replica (a key's own limit wins; 0: off). */
  GATEWAY_RATE_LIMIT_PER_S: limit(100),
  /** Requests an idle key may send at once. */
  GATEWAY_RATE_LIMIT_BURST: limit(200),
  /** Failed authentications per client address per minute before it is refused (0: off). */
  GATEWAY_AUTH_FAILURES_PER_MIN: limit(20),
  /** Open SSE streams per tenant, across replicas (0: off). */
  GATEWAY_SSE_STREAMS_PER_TENANT: limit(100),
  /** `Prefer: wait` requests held open per tenant, across replicas (0: off). */
  GATEWAY_WAIT_HOLDS_PER_TENANT: limit(100),
  /** Bytes a tenant may upload per UTC day (0: off). */
  GATEWAY_UPLOAD_BYTES_PER_DAY: limit(0),
  /** Queued-or-running jobs a tenant may have (429 QUOTA_EXCEEDED past it); 0 turns the quota off. */
  TENANT_MAX_ACTIVE_JOBS: z.coerce.number().int().min(0).default(10_000),
  /** Schedules a tenant may have (429 QUOTA_EXCEEDED past it); 0 turns the limit off. */
  TENANT_MAX_SCHEDULES: z.coerce.number().int().min(0).default(1_000),
  /** Pipeline runs one replica moves on at once (each look is short: a few reads, the steps it starts). */
  GATEWAY_PIPELINE_CONCURRENCY: positiveInt(16),
  /** Items of one batch whose jobs have not ended, at most: the rest wait in PostgreSQL. */
  GATEWAY_BATCH_WINDOW: positiveInt(1_000),
  /** Items one batch may have. */
  GATEWAY_BATCH_MAX_ITEMS: positiveInt(100_000),
  /** How often one gateway replica deletes uploaded blobs that no job needs any more. */
  BLOB_SWEEP_INTERVAL_S: positiveInt(300),
  /**
   * A job not final this long after it was created (no worker took it, or its worker and state were
   * lost) is ended failed, JOB_LIFETIME_EXCEEDED; its Redis hash leaves an hour later whatever happens.
   */
  JOB_MAX_LIFETIME_S: positiveInt(7 * 86_400),
  /**
   * New jobs are answered 503 DATABASE_UNAVAILABLE while this many changes wait to be recorded in
   * PostgreSQL (it is down or far behind): Redis never holds an unbounded backlog.
   */
  GATEWAY_MAX_UNRECORDED: positiveInt(100_000),
  /** Hosts webhooks may reach even at a loopback or private address (comma-separated; for development). */
  WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((host) => host.trim())
        .filter(Boolean),
    ),
  /** How long one webhook attempt may take, connection included. */
  WEBHOOK_TIMEOUT_MS: positiveInt(10_000),
  /** First retry delay of a webhook or e-mail; each next one doubles, within WEBHOOK_RETRY_WINDOW_S. */
  WEBHOOK_RETRY_BASE_MS: positiveInt(5_000),
  /** How long a notification is retried for. */
  WEBHOOK_RETRY_WINDOW_S: positiveInt(86_400),
  /** After a rotation, the previous signing secret signs too for this long (0: not at all). */
  WEBHOOK_SECRET_GRACE_S: limit(86_400),
  /**
   * Seals the tenants' webhook signing secrets in PostgreSQL (AES-256-GCM): 32 bytes, 64 hex characters
   * or base64. Required everywhere, so no deployment stores them readable by mistake; `npm start` makes
   * one for its own database (GANTRY_HOME/webhook-secret-key).
   */
  WEBHOOK_SECRET_KEY: z
    .string({
      error:
        'set WEBHOOK_SECRET_KEY to 32 random bytes (`openssl rand -hex 32`), kept apart from the database backups',
    })
    .pipe(SecretKey),
  /** The key WEBHOOK_SECRET_KEY replaced: it still opens what it sealed, which is sealed anew on the way. */
  WEBHOOK_SECRET_KEY_PREVIOUS: SecretKey.optional(),
  /** Webhooks and e-mails each gateway replica delivers at a time. */
  NOTIFY_CONCURRENCY: positiveInt(16),
  /** A schedule's tick taken this much later than due was missed (no gateway ran): its misfire policy decides. */
  SCHEDULE_MISFIRE_GRACE_S: positiveInt(60),
  /** Where the links of e-mail reports point: the API's public address. */
  GANTRY_PUBLIC_URL: z.url().default('http://127.0.0.1:8080'),
  /** SMTP server for e-mail reports, as a URL (`smtps://user:pass@host:465`); or SMTP_HOST and the rest. */
  SMTP_URL: z.url().optional(),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: port(587),
  /** `true`: TLS from the start (port 465); else STARTTLS when the server offers it. */
  SMTP_SECURE: envBool.default(false),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  /** The reports' sender, e.g. `Gantry <gantry@example.com>`; needed for e-mail reports. */
  SMTP_FROM: z.string().min(1).optional(),
});
export type GatewayEnv = z.infer<typeof GatewayEnv>;

export const loadGatewayEnv = (env: NodeJS.ProcessEnv = process.env) => parseEnv(GatewayEnv, env);
