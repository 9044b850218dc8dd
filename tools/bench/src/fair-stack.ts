import { createPool } from '@gantry/job-store';
import type { BenchRun } from './bench-run.js';
import { ChildService } from './child-service.js';
import { fairJobsTable } from './fair-jobs-table.js';

/**
 * The fair baseline: bare Express + BullMQ plus the hops Gantry must make per job — a PostgreSQL row
 * (inserted on enqueue, updated when done) and an engine-process round trip — each server in its own
 * process, on its own Redis prefix and PostgreSQL schema.
 */
export class FairStack {
  private forget: () => void = () => undefined;
  private worker: ChildService | null = null;

  private constructor(
    private readonly run: BenchRun,
    readonly prefix: string,
    readonly schema: string,
    private readonly pool: ReturnType<typeof createPool>,
    readonly server: ChildService,
  ) {}

  static async start(run: BenchRun, scenario: string, worker: { concurrency: number } | null) {
    const schema = await run.createSchema(scenario);
    const pool = createPool(run.databaseUrl(schema, `${schema}_bench`), { max: 1 });
    const prefix = run.prefix(scenario);
    const env = {
      REDIS_URL: run.env.REDIS_URL,
      GANTRY_PREFIX: prefix,
      BENCH_QUEUE: 'bench',
      DATABASE_URL: run.databaseUrl(schema),
      LOG_LEVEL: 'warn',
    };
    let server: ChildService | null = null;
    try {
      await pool.query(fairJobsTable);
      server = await ChildService.start('fair-server', 'fair-server-process', env);
      const stack = new FairStack(run, prefix, schema, pool, server);
      stack.forget = run.onCleanup(() => stack.close());
      if (worker) {
        stack.worker = await ChildService.start('fair-worker', 'fair-worker-process', {
          ...env,
          WORKER_CONCURRENCY: String(worker.concurrency),
        }).catch(async (error: unknown) => {
          await stack.close();
          throw error;
        });
      }
      return stack;
    } catch (error) {
      if (!server) {
        await pool.end();
        await run.dropSchema(schema);
      }
      throw error;
    }
  }

  get url(): string {
    return this.server.url ?? '';
  }

  get workerPid(): number | null {
    return this.worker?.pid ?? null;
  }

  /** Rows the worker has marked `succeeded`. */
  async succeeded(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM fair_jobs WHERE status = 'succeeded'",
    );
    return rows[0]?.n ?? 0;
  }

  async close(): Promise<void> {
    this.forget();
    await Promise.allSettled([this.worker?.stop(), this.server.stop()]);
    await this.pool.end().catch(() => undefined);
    await this.run.dropSchema(this.schema);
    await this.run.deleteKeys(`${this.prefix}:`);
  }
}
