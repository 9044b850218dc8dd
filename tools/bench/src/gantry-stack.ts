import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ApiKeyLimits, createApiKeyRepository, createPool } from '@gantry/job-store';
import type { BenchRun } from './bench-run.js';
import { ChildService, type ProcessStats } from './child-service.js';

export interface WorkerSpec {
  app: string;
  /** The worker module file (`defineWorker(…)` default export). */
  module: string;
  concurrency: number;
  /** Announce the job types but take no job. */
  paused?: boolean;
  /** Settings of the worker and its engine processes (e.g. `OCR_ENGINE`, `VISION_BATCH_MAX_SIZE`). */
  env?: Record<string, string>;
}

/**
 * Gantry as deployed: the gateway and each worker in its own process, on this run's prefix and
 * schema, with an API key for tenant "bench". Workers start first so the gateway's first
 * catalogue refresh already sees the job types they announce.
 */
export class GantryStack {
  readonly workers = new Set<ChildService>();
  private benchAuthorization = '';
  private gateway: ChildService | null = null;
  private forget: () => void = () => undefined;

  private constructor(
    private readonly run: BenchRun,
    readonly prefix: string,
    readonly schema: string,
    private readonly blobDir: string,
    private readonly pool: ReturnType<typeof createPool>,
  ) {}

  static async start(run: BenchRun, scenario: string, workers: readonly WorkerSpec[]): Promise<GantryStack> {
    const schema = await run.createSchema(scenario);
    const blobDir = await mkdtemp(path.join(tmpdir(), 'gantry-bench-'));
    const stack = new GantryStack(
      run,
      run.prefix(scenario),
      schema,
      blobDir,
      // The bench's own polls are not the gateway's: another application name keeps them out of its backends' CPU.
      createPool(run.databaseUrl(schema, `${schema}_bench`), { max: 2 }),
    );
    stack.forget = run.onCleanup(() => stack.close());
    try {
      for (const spec of workers) await stack.startWorker(spec);
      stack.gateway = await ChildService.start(
        'gateway',
        'gateway-process',
        {
          ...stack.commonEnv(),
          DATABASE_URL: run.databaseUrl(schema),
          GATEWAY_HOST: '127.0.0.1',
          GATEWAY_PORT: '0',
          GATEWAY_METRICS_PORT: '0',
          GATEWAY_MAX_WAIT_S: '300',
          WEBHOOK_SECRET_KEY: randomBytes(32).toString('hex'),
          // The enqueue scenario fills a paused queue far past a tenant's default quota.
          TENANT_MAX_ACTIVE_JOBS: '0',
        },
        run.env.BENCH_GATEWAY_NODE_FLAGS,
      );
      // Unlimited: the bench measures the gateway, not its rate limit (the limiter is skipped for this key).
      stack.benchAuthorization = await stack.addKey('bench', { rate_limit_per_s: 0 });
      return stack;
    } catch (error) {
      await stack.close();
      throw error;
    }
  }

  get url(): string {
    return this.gateway?.url ?? '';
  }

  get gatewayPid(): number {
    return this.gateway?.pid ?? 0;
  }

  /** Memory and CPU of the gateway process. */
  gatewayStats(): Promise<ProcessStats> {
    if (!this.gateway) throw new Error('the gateway is not running');
    return this.gateway.stats();
  }

  get authorization(): string {
    return this.benchAuthorization;
  }

  /** Another key of tenant "bench", with limits of its own: its `Authorization` header. */
  async addKey(name: string, limits: Partial<ApiKeyLimits>): Promise<string> {
    const keys = createApiKeyRepository(this.pool);
    const { key } = await keys.create({ tenant: 'bench', name, scopes: ['jobs'], limits });
    return `Bearer ${key}`;
  }

  async startWorker(spec: WorkerSpec): Promise<ChildService> {
    const worker = await ChildService.start(spec.app, 'worker-process', {
      ...this.commonEnv(),
      MODELS_DIR: this.run.env.MODELS_DIR,
      WORKER_CONCURRENCY: String(spec.concurrency),
      WORKER_HEARTBEAT_MS: '1000',
      BENCH_WORKER_MODULE: spec.module,
      BENCH_WORKER_APP: spec.app,
      BENCH_WORKER_PAUSED: spec.paused ? 'true' : 'false',
      ...spec.env,
    });
    this.workers.add(worker);
    return worker;
  }

  async stopWorker(worker: ChildService): Promise<void> {
    await worker.stop();
    this.workers.delete(worker);
  }

  /** Waits until the gateway's catalogue lists these types (it refreshes announcements every 5 s). */
  async waitForTypes(types: readonly string[], timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await fetch(`${this.url}/v1/job-types`, { headers: { authorization: this.authorization } });
      const known = ((await res.json()) as { data?: { type: string }[] }).data?.map((t) => t.type) ?? [];
      if (types.every((type) => known.includes(type))) return;
      if (Date.now() > deadline) throw new Error(`the gateway never listed ${types.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Rows of the jobs table (what the recorder has written to Postgres) in a status. */
  async recordedJobs(status: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM jobs WHERE status = $1',
      [status],
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * Waits until the recorder has written every job the gateway accepted (the jobs table stops growing
   * for a second), so that a measurement after a flat-out pass sees the steady state, not PostgreSQL
   * and the recorder still catching up with the pass's backlog on the same cores.
   */
  async recorderCaughtUp(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const count = async () =>
      (await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM jobs')).rows[0]?.n ?? 0;
    let last = await count();
    let steadySince = Date.now();
    while (Date.now() - steadySince < 1_000) {
      if (Date.now() > deadline) throw new Error(`the recorder did not catch up in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      const now = await count();
      if (now !== last) [last, steadySince] = [now, Date.now()];
    }
  }

  async close(): Promise<void> {
    this.forget();
    await Promise.allSettled([...this.workers].map((worker) => worker.stop()));
    this.workers.clear();
    await this.gateway?.stop();
    await this.pool.end().catch(() => undefined);
    await this.run.dropSchema(this.schema);
    await this.run.deleteKeys(`${this.prefix}:`);
    await rm(this.blobDir, { recursive: true, force: true });
  }

  private commonEnv(): NodeJS.ProcessEnv {
    return {
      REDIS_URL: this.run.env.REDIS_URL,
      GANTRY_PREFIX: this.prefix,
      BLOB_DIR: this.blobDir,
      LOG_LEVEL: 'warn',
    };
  }
}
