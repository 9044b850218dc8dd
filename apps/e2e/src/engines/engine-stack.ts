import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadGatewayEnv, type RunningGateway, startGateway } from '@gantry/gateway';
import { createApiKeyRepository, createPool } from '@gantry/job-store';
import { createLogger } from '@gantry/observability';
import { startControlAgent } from '@gantry/control-plane';
import { runWorker, type RunningWorker } from '@gantry/queue-runtime';
import { Redis } from 'ioredis';
import { GantryClient } from './gantry-client.js';

/** The repository root, from apps/e2e/src/engines. */
const repoRoot = path.resolve(import.meta.dirname, '../../../..');
/** /work/shared beside the repository: read-only models and fixtures. */
export const modelsDir = path.resolve(repoRoot, '../shared/models');
export const fixturesDir = path.resolve(repoRoot, '../shared/fixtures');

export const workerModule = (app: 'ocr' | 'vision' | 'predictive' | 'llm') =>
  path.join(repoRoot, 'apps', app, 'src', 'worker.ts');

export interface StackWorker {
  /** Absolute path of a worker module (`defineWorker(…)` default export), e.g. `workerModule('ocr')`. */
  module: string;
  app: string;
  /** Engine processes, so jobs at a time: 1–2 on the shared 2-core machine. */
  concurrency?: number;
  /** Contracts the worker must handle; [] for test-only modules (default: the shipped catalogue). */
  catalogue?: Parameters<typeof runWorker>[0]['catalogue'];
  /** Extra environment of its engine processes (e.g. which LLM provider the llm worker uses, OCR_MAX_PAGES). */
  env?: Record<string, string>;
}

export interface EngineStack {
  client: GantryClient;
  /** The stack's API key, for clients of its own. */
  key: string;
  gateway: RunningGateway;
  workers: RunningWorker[];
  blobDir: string;
  close(): Promise<void>;
}

/**
 * The whole platform in this process, as the README starts it but with its own Postgres schema,
 * Redis prefix and blob directory: the real gateway over HTTP, real workers whose engine processes
 * load the real models from the shared model directory.
 */
export async function startEngineStack(
  name: string,
  workers: readonly StackWorker[],
  /** The scopes of the stack's key (`platform` for pause and resume). */
  scopes: readonly ('jobs' | 'admin' | 'platform')[] = ['jobs'],
  /** Gateway settings on top of the stack's own (SMTP, WEBHOOK_ALLOWED_HOSTS …). */
  gatewayEnv: Record<string, string> = {},
): Promise<EngineStack> {
  const id = `${name}_${process.pid}_${Date.now()}`;
  const prefix = `t-e2e-${id}`;
  const schema = `e2e_${id.replace(/[^a-z0-9_]/gi, '_')}`;
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/test?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const admin = createPool('postgres://postgres@127.0.0.1:5432/test');
  await admin.query(`CREATE SCHEMA ${schema}`);
  const blobDir = await mkdtemp(path.join(tmpdir(), `gantry-e2e-${name}-`));
  const env = loadGatewayEnv({
    DATABASE_URL: databaseUrl,
    GANTRY_PREFIX: prefix,
    GATEWAY_PORT: '0',
    GATEWAY_METRICS_PORT: '0',
    GATEWAY_HOST: '127.0.0.1',
    BLOB_DIR: blobDir,
    LOG_LEVEL: 'warn',
    WEBHOOK_SECRET_KEY: randomBytes(32).toString('hex'),
    ...gatewayEnv,
  });
  const started: RunningWorker[] = [];
  let gateway: RunningGateway | undefined;

  const close = async () => {
    await Promise.allSettled(started.map((worker) => worker.close()));
    await gateway?.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    const redis = new Redis(env.REDIS_URL);
    const stale = await redis.keys(`${prefix}:*`);
    if (stale.length > 0) await redis.del(...stale);
    await redis.quit();
    await rm(blobDir, { recursive: true, force: true });
  };

  try {
    gateway = await startGateway(env);
    const logger = createLogger('e2e-worker', 'warn');
    // Workers start one after the other: two model loads at once only slow each other down on 2 cores.
    for (const worker of workers) {
      started.push(
        await runWorker({
          module: worker.module,
          app: worker.app,
          version: '0.0.0-e2e',
          redisUrl: env.REDIS_URL,
          prefix,
          concurrency: worker.concurrency ?? 1,
          lockDurationMs: 10_000,
          stalledIntervalMs: 5_000,
          shutdownGraceMs: 1_000,
          healthPort: 0,
          heartbeatMs: 500,
          logger,
          startControl: startControlAgent,
          retentionSeconds: env.JOB_RETENTION_S,
          engineEnv: {
            MODELS_DIR: modelsDir,
            BLOB_DIR: blobDir,
            MAX_IMAGE_PIXELS: '40000000',
            LOG_LEVEL: 'warn',
            ...worker.env,
          },
          ...(worker.catalogue ? { catalogue: worker.catalogue } : {}),
        }),
      );
      const state = started.at(-1)?.state();
      if (state?.state !== 'ready') throw new Error(`worker ${worker.app} is not ready: ${state?.reason}`);
    }
    const pool = createPool(databaseUrl);
    const key = (
      await createApiKeyRepository(pool).create({ tenant: 'e2e', name: name, scopes: [...scopes] })
    ).key;
    await pool.end();
    return { client: new GantryClient(gateway.url, key), key, gateway, workers: started, blobDir, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
