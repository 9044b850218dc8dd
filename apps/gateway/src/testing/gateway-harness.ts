import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startControlAgent } from '@gantry/control-plane';
import { createApiKeyRepository } from '@gantry/job-store';
import { createTestSchema, deletePrefix, testDatabaseUrl, type TestSchema } from '@gantry/job-store/testing';
import { runWorker, type RunningWorker, type RunWorkerOptions } from '@gantry/queue-runtime';
import { testWorkerOptions } from '@gantry/queue-runtime/testing';
import { Redis } from 'ioredis';
import { type GatewayEnv, loadGatewayEnv } from '../env.js';
import { type RunningGateway, startGateway } from '../start-gateway.js';

type ApiKeyInput = Parameters<ReturnType<typeof createApiKeyRepository>['create']>[0];

export interface GatewayHarnessOptions {
  /** Names this test's Redis prefix, PostgreSQL schema and blob dir. */
  readonly name: string;
  /** Gateway env on top of the harness's own (database, prefix, ports, host, blob dir, log level). */
  readonly env?: Record<string, string>;
  /** Gateway replicas on the one prefix and schema. */
  readonly replicas?: number;
  /** A test worker (test job types, control agent) with these options on top; none when left out. */
  readonly worker?: Partial<RunWorkerOptions>;
}

export interface GatewayHarness {
  readonly prefix: string;
  readonly schema: string;
  readonly databaseUrl: string;
  readonly blobDir: string;
  readonly env: GatewayEnv;
  /** The first replica. */
  readonly gateway: RunningGateway;
  readonly gateways: readonly RunningGateway[];
  /** The test worker; only when the options asked for one. */
  readonly worker: RunningWorker;
  /** A client of the real Redis, for the test's own reads and writes under `prefix`. */
  readonly redis: Redis;
  /** A pool whose search path is this test's schema, for the test's own queries. */
  readonly pool: TestSchema['pool'];
  /** Creates an API key in this test's schema and returns its secret. */
  key(input: ApiKeyInput): Promise<string>;
  /** Stops the worker and gateways, then removes the schema, the prefix's keys and the blob dir. */
  close(): Promise<void>;
}

/**
 * A gateway (or several replicas) on the real Redis and PostgreSQL, each test with its own key prefix,
 * schema and blob dir, and optionally the runtime's test worker announcing itself to it.
 */
export async function startGatewayHarness(options: GatewayHarnessOptions): Promise<GatewayHarness> {
  const prefix = `t-${options.name}-${process.pid}-${Date.now()}`;
  const { schema, pool, drop } = await createTestSchema(options.name, { migrate: false });
  const databaseUrl = `${testDatabaseUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  const blobDir = await mkdtemp(path.join(tmpdir(), `gantry-${options.name}-`));
  const env = loadGatewayEnv({
    DATABASE_URL: databaseUrl,
    GANTRY_PREFIX: prefix,
    GATEWAY_PORT: '0',
    GATEWAY_METRICS_PORT: '0',
    GATEWAY_HOST: '127.0.0.1',
    BLOB_DIR: blobDir,
    LOG_LEVEL: 'warn',
    WEBHOOK_SECRET_KEY: randomBytes(32).toString('hex'),
    ...options.env,
  });
  const gateways: RunningGateway[] = [];
  let worker: RunningWorker | undefined;

  const close = async () => {
    await worker?.close();
    await Promise.all(gateways.map((gateway) => gateway.close()));
    await drop();
    await deletePrefix(redis, prefix);
    await redis.quit();
    await rm(blobDir, { recursive: true, force: true });
  };

  try {
    for (let i = 0; i < (options.replicas ?? 1); i += 1) gateways.push(await startGateway(env));
    if (options.worker)
      worker = await runWorker(
        testWorkerOptions(prefix, {
          startControl: startControlAgent,
          redisUrl: env.REDIS_URL,
          engineEnv: { BLOB_DIR: blobDir, LOG_LEVEL: 'warn' },
          ...options.worker,
        }),
      );
  } catch (error) {
    await close();
    throw error;
  }
  const keys = createApiKeyRepository(pool);
  return {
    prefix,
    schema,
    databaseUrl,
    blobDir,
    env,
    gateway: gateways[0] as RunningGateway,
    gateways,
    get worker(): RunningWorker {
      if (!worker) throw new Error('this gateway harness was started without a worker');
      return worker;
    },
    redis,
    pool,
    key: async (input) => (await keys.create(input)).key,
    close,
  };
}
