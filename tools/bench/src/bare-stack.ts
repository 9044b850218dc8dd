import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { BenchRun } from './bench-run.js';
import { ChildService } from './child-service.js';

/** The baseline: a bare Express + BullMQ server, and optionally a raw BullMQ worker, each in its own process. */
export class BareStack {
  private readonly connection: Redis;
  private readonly queue: Queue;
  private forget: () => void = () => undefined;
  private worker: ChildService | null = null;

  private constructor(
    private readonly run: BenchRun,
    readonly prefix: string,
    readonly server: ChildService,
  ) {
    this.connection = new Redis(run.env.REDIS_URL, { maxRetriesPerRequest: null });
    this.queue = new Queue('bench', { connection: this.connection, prefix: `${prefix}:bull` });
  }

  static async start(run: BenchRun, scenario: string, worker: { concurrency: number } | null) {
    const prefix = run.prefix(scenario);
    const env = {
      REDIS_URL: run.env.REDIS_URL,
      GANTRY_PREFIX: prefix,
      BENCH_QUEUE: 'bench',
      LOG_LEVEL: 'warn',
    };
    const server = await ChildService.start('bare-server', 'bare-server-process', env);
    const stack = new BareStack(run, prefix, server);
    stack.forget = run.onCleanup(() => stack.close());
    if (worker) {
      stack.worker = await ChildService.start('bare-worker', 'bare-worker-process', {
        ...env,
        WORKER_CONCURRENCY: String(worker.concurrency),
      }).catch(async (error: unknown) => {
        await stack.close();
        throw error;
      });
    }
    return stack;
  }

  get url(): string {
    return this.server.url ?? '';
  }

  get workerPid(): number | null {
    return this.worker?.pid ?? null;
  }

  /** Jobs BullMQ holds as completed (their results are kept in Redis) and as failed. */
  async counts(): Promise<{ completed: number; failed: number }> {
    const counts = await this.queue.getJobCounts('completed', 'failed');
    return { completed: counts['completed'] ?? 0, failed: counts['failed'] ?? 0 };
  }

  async close(): Promise<void> {
    this.forget();
    await Promise.allSettled([this.worker?.stop(), this.server.stop()]);
    await this.queue.close();
    await this.connection.quit();
    await this.run.deleteKeys(`${this.prefix}:`);
  }
}
