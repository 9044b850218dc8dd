import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from '@gantry/config';
import { createPool } from '@gantry/job-store';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { fromSources } from './child-service.js';

const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../../..');

export const BenchEnv = z.object({
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  /** The bench creates (and drops) its own schemas in this database. */
  BENCH_DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/test'),
  MODELS_DIR: z.string().default(path.resolve(repoRoot, '../shared/models')),
  FIXTURES_DIR: z.string().default(path.resolve(repoRoot, '../shared/fixtures')),
  /** The Python with celery, fastapi, uvicorn and redis for the seed-stack scenario (found when unset). */
  BENCH_PYTHON: z.string().min(1).optional(),
  /**
   * Node flags for the gateway process alone, space-separated (e.g. `--max-semi-space-size=64`): the
   * bare server, the workers and the bench keep Node's defaults.
   */
  BENCH_GATEWAY_NODE_FLAGS: z
    .string()
    .default('')
    .transform((flags) => flags.split(/\s+/).filter(Boolean)),
});
export type BenchEnv = z.infer<typeof BenchEnv>;

/**
 * One bench run: its unique Redis prefix and Postgres schemas (one per scenario, so scenarios never
 * see each other's queues or rows), its scale, and the cleanup that removes everything it created.
 */
export class BenchRun {
  readonly id = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  readonly cpus = availableParallelism();
  readonly repoRoot = repoRoot;
  readonly env: BenchEnv;
  private readonly rawEnv: NodeJS.ProcessEnv;
  private readonly schemas = new Set<string>();
  private readonly stoppers = new Set<() => Promise<void>>();

  constructor(
    readonly quick: boolean,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.rawEnv = env;
    this.env = parseEnv(BenchEnv, env);
  }

  /**
   * The same run on another Redis (a scenario's own `BenchRedis`): stacks started with it use that
   * Redis; its schemas and keys are removed with this run's cleanup.
   */
  onRedis(redisUrl: string): BenchRun {
    const other = new BenchRun(this.quick, { ...this.rawEnv, REDIS_URL: redisUrl });
    this.onCleanup(() => other.cleanup());
    return other;
  }

  /** The full value, or the quick one under `--quick`. */
  scale<T>(full: T, quick: T): T {
    return this.quick ? quick : full;
  }

  prefix(scenario: string): string {
    return `bench-${this.id}-${scenario}`;
  }

  /**
   * A URL whose connections use `schema`. Their backends are named `applicationName` (by default the
   * schema) in `pg_stat_activity`, so the bench can find them and measure their CPU.
   */
  databaseUrl(schema: string, applicationName = schema): string {
    const url = new URL(this.env.BENCH_DATABASE_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    url.searchParams.set('application_name', applicationName);
    return url.toString();
  }

  async createSchema(scenario: string): Promise<string> {
    const schema = `bench_${this.id}_${scenario.replace(/[^a-z0-9]/g, '_')}`;
    this.schemas.add(schema);
    await this.admin((pool) => pool.query(`CREATE SCHEMA ${schema}`));
    return schema;
  }

  async dropSchema(schema: string): Promise<void> {
    await this.admin((pool) => pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    this.schemas.delete(schema);
  }

  /** Deletes every Redis key under a prefix (SCAN, never KEYS: the Redis is shared). */
  async deleteKeys(prefix: string): Promise<number> {
    // No reconnecting: a cleanup after a Redis is gone (a scenario's own, already stopped) fails once, quietly.
    const redis = new Redis(this.env.REDIS_URL, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
    let deleted = 0;
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
        cursor = next;
        if (keys.length > 0) deleted += await redis.unlink(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    return deleted;
  }

  /** A worker app's module (`apps/<app>/…/worker`), built like the bench; null when it is not there. */
  appWorkerModule(app: string): string | null {
    const file = fromSources
      ? path.join(repoRoot, 'apps', app, 'src/worker.ts')
      : path.join(repoRoot, 'apps', app, 'dist/worker.js');
    return existsSync(file) ? file : null;
  }

  /** Registers something to stop if the run ends early; call the returned function once it is stopped. */
  onCleanup(stop: () => Promise<void>): () => void {
    this.stoppers.add(stop);
    return () => this.stoppers.delete(stop);
  }

  /** Stops what is still running, then removes this run's schemas and keys. Safe to call twice. */
  async cleanup(): Promise<void> {
    const stoppers = [...this.stoppers];
    this.stoppers.clear();
    await Promise.allSettled(stoppers.map((stop) => stop()));
    for (const schema of [...this.schemas]) await this.dropSchema(schema).catch(() => undefined);
    await this.deleteKeys(`bench-${this.id}-`).catch(() => undefined);
  }

  private async admin<T>(use: (pool: ReturnType<typeof createPool>) => Promise<T>): Promise<T> {
    const pool = createPool(this.env.BENCH_DATABASE_URL, { max: 1 });
    try {
      return await use(pool);
    } finally {
      await pool.end();
    }
  }
}
