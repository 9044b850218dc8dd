import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPool } from '@gantry/job-store';
import { createTestSchema, deletePrefix, type TestSchema, testDatabaseUrl } from '@gantry/job-store/testing';
import { JobStateStore, type JobRecord } from '@gantry/job-state';
import { Redis } from 'ioredis';
import { beforeEach } from 'vitest';
import { createApiKey } from './create-api-key.js';
import { GatewayClient } from './gateway-client.js';
import { GatewayProcess } from './gateway-process.js';
import { LogBuffer } from './log-buffer.js';
import { modelsDir } from './repo-paths.js';
import { ThrowawayPostgres } from './throwaway-postgres.js';
import { ThrowawayRedis } from './throwaway-redis.js';
import { type WorkerApp, WorkerProcess } from './worker-process.js';

const sharedRedisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export interface PlatformOptions {
  /** Names the file's prefix, schema and temp dirs. */
  label: string;
  /** `own`: a redis-server of this file's own that it may stop (default: the shared one, own prefix). */
  redis?: 'shared' | 'own';
  /** `own`: an embedded PostgreSQL it may stop (default: the shared one, own schema). */
  postgres?: 'shared' | 'own';
  /** Settings every app of the platform gets, as an operator's shared config gives them (JOB_RETENTION_S…). */
  env?: NodeJS.ProcessEnv;
}

/** Short timings so that losses and drains show within seconds; a test overrides what it needs. */
const workerDefaults: NodeJS.ProcessEnv = {
  WORKER_CONCURRENCY: '1',
  WORKER_HEARTBEAT_MS: '500',
  WORKER_LOCK_MS: '2000',
  WORKER_STALLED_INTERVAL_MS: '1000',
  WORKER_SHUTDOWN_GRACE_MS: '5000',
};

type Pool = ReturnType<typeof createPool>;

/**
 * One test file's Gantry: Redis and PostgreSQL (shared ones under a unique prefix and schema, or
 * throwaway ones it can restart), and the gateways and workers it starts from build output. Every
 * process writes into one log buffer, printed when a test fails. `cleanup()` leaves nothing behind.
 */
export class Platform {
  readonly gateways: GatewayProcess[] = [];
  readonly workers: WorkerProcess[] = [];
  private inspector: Redis | null = null;
  private pool: Pool | null = null;
  /** One for every gateway of the platform, restarts included, as an operator's Secret would hold it. */
  private readonly webhookSecretKey = randomBytes(32).toString('hex');

  private constructor(
    readonly logs: LogBuffer,
    readonly prefix: string,
    readonly blobDir: string,
    readonly ownRedis: ThrowawayRedis | null,
    readonly ownPostgres: ThrowawayPostgres | null,
    private readonly schema: TestSchema | null,
    private readonly sharedEnv: NodeJS.ProcessEnv,
  ) {}

  static async start(options: PlatformOptions): Promise<Platform> {
    const id = `${options.label}-${randomBytes(3).toString('hex')}`;
    const logs = new LogBuffer();
    let ownRedis: ThrowawayRedis | null = null;
    let ownPostgres: ThrowawayPostgres | null = null;
    try {
      if (options.redis === 'own') ownRedis = await ThrowawayRedis.start(logs);
      if (options.postgres === 'own') ownPostgres = await ThrowawayPostgres.start(logs);
      const schema = ownPostgres ? null : await createTestSchema(`e2e_${options.label}`, { migrate: false });
      const blobDir = await mkdtemp(path.join(tmpdir(), 'gantry-e2e-blobs-'));
      return new Platform(logs, `e2e-${id}`, blobDir, ownRedis, ownPostgres, schema, options.env ?? {});
    } catch (error) {
      logs.print(`platform ${id} failed to start`);
      await ownRedis?.destroy();
      await ownPostgres?.destroy();
      throw error;
    }
  }

  get redisUrl(): string {
    return this.ownRedis?.url ?? sharedRedisUrl;
  }

  /** What the apps get as DATABASE_URL: the shared database with this file's schema first on the path. */
  get databaseUrl(): string {
    if (this.ownPostgres) return this.ownPostgres.url;
    const schema = this.schema?.schema ?? '';
    return `${testDatabaseUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  }

  /** The environment every app of this platform shares, as an operator would set it. */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      REDIS_URL: this.redisUrl,
      DATABASE_URL: this.databaseUrl,
      GANTRY_PREFIX: this.prefix,
      BLOB_DIR: this.blobDir,
      MODELS_DIR: modelsDir,
      LOG_LEVEL: 'info',
      ORT_DISABLE_TELEMETRY: '1',
      ...this.sharedEnv,
      ...extra,
    };
  }

  async startGateway(name = `gateway-${this.gateways.length + 1}`, env: NodeJS.ProcessEnv = {}) {
    const gatewayEnv = this.env({ WEBHOOK_SECRET_KEY: this.webhookSecretKey, ...env });
    const gateway = await GatewayProcess.start(name, gatewayEnv, this.logs).catch((error: unknown) => {
      this.logs.print(`${name} failed to start`);
      throw error;
    });
    this.gateways.push(gateway);
    return gateway;
  }

  async startWorker(
    app: WorkerApp,
    options: { name?: string; env?: NodeJS.ProcessEnv; readyTimeoutMs?: number } = {},
  ): Promise<WorkerProcess> {
    const name = options.name ?? `${app}-worker-${this.workers.length + 1}`;
    const worker = await WorkerProcess.start({
      app,
      name,
      env: this.env({ ...workerDefaults, ...options.env }),
      logs: this.logs,
      ...(options.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: options.readyTimeoutMs }),
    }).catch((error: unknown) => {
      this.logs.print(`${name} failed to start`);
      throw error;
    });
    this.workers.push(worker);
    return worker;
  }

  createApiKey(
    tenant = 'acme',
    scopes: readonly ('jobs' | 'admin' | 'platform')[] = ['jobs', 'admin', 'platform'],
  ): Promise<string> {
    return createApiKey({ databaseUrl: this.databaseUrl, tenant, scopes });
  }

  client(gateway: GatewayProcess, key: string): GatewayClient {
    return new GatewayClient(gateway.url, key);
  }

  /** The job as Redis holds it right now, read behind the gateways' backs. */
  async jobState(id: string): Promise<JobRecord | null> {
    this.inspector ??= new Redis(this.redisUrl, { maxRetriesPerRequest: 1 });
    return new JobStateStore(this.inspector, this.prefix).get(id);
  }

  /** A query on this platform's Postgres (its own schema), read behind the gateways' backs. */
  async query<Row extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<Row[]> {
    this.pool ??= this.schema
      ? createPool(testDatabaseUrl, { searchPath: this.schema.schema, max: 2, connectionTimeoutMs: 2_000 })
      : createPool(this.databaseUrl, { max: 2, connectionTimeoutMs: 2_000 });
    return (await this.pool.query<Row>(sql, params)).rows;
  }

  /** Prints the captured logs of every process when a test of the calling file fails. */
  printLogsOnFailure(): void {
    beforeEach(({ onTestFailed, task }) => onTestFailed(() => this.logs.print(`FAILED: ${task.name}`)));
  }

  /** Stops every process (SIGTERM, then SIGKILL for the group), then removes every trace of the file. */
  async cleanup(): Promise<void> {
    await Promise.allSettled([
      ...this.gateways.map((gateway) => gateway.stop()),
      ...this.workers.map((worker) => worker.stop('SIGTERM', 5_000)),
    ]);
    this.inspector?.disconnect();
    await this.pool?.end().catch(() => undefined);
    await this.ownRedis?.destroy();
    await this.ownPostgres?.destroy();
    if (!this.ownRedis) await deleteKeys(sharedRedisUrl, this.prefix);
    await this.schema?.drop();
    await rm(this.blobDir, { recursive: true, force: true });
  }
}

async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    await deletePrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}
