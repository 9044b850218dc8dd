import type { ModelInfo } from '@gantry/contracts';
import type { Logger } from '@gantry/observability';
import type { EngineDevice } from '../define-worker.js';
import type { JobEngine } from './job-engine.js';

/**
 * A fixed number of warm engines (one per concurrency slot). A process that is killed
 * (timeout, cancel, crash) is replaced in the background; jobs wait for a ready one.
 */
export class EnginePool {
  private readonly idle: JobEngine[] = [];
  private readonly waiters: ((engine: JobEngine) => void)[] = [];
  private readonly all = new Set<JobEngine>();
  private closed = false;
  models: ModelInfo[] = [];
  /** Where the engines run, as their setup reported it (null: engines without a GPU path). */
  device: EngineDevice | null = null;

  constructor(
    private readonly size: number,
    /** A fresh engine for a slot: an engine process, or an event-loop runner. */
    private readonly create: () => JobEngine,
    private readonly logger: Logger,
  ) {}

  /** Starts every process and waits for their setup; rejects with the first setup error. */
  async start(): Promise<{ models: ModelInfo[]; types: string[]; device: EngineDevice | null }> {
    const engines = Array.from({ length: this.size }, () => this.spawn());
    try {
      const results = await Promise.all(engines.map((engine) => engine.ready));
      for (const engine of engines) this.release(engine);
      this.models = results[0]?.models ?? [];
      this.device = results[0]?.device ?? null;
      return results[0] ?? { models: [], types: [], device: null };
    } catch (error) {
      await Promise.all(engines.map((engine) => engine.kill()));
      engines.forEach((engine) => this.all.delete(engine));
      throw error;
    }
  }

  /** A ready engine, at once or when one frees up; an abort gives up the wait (rejects with its reason). */
  acquire(signal?: AbortSignal): Promise<JobEngine> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    let engine = this.idle.pop();
    while (engine && !engine.alive) {
      this.replace(engine);
      engine = this.idle.pop();
    }
    if (engine) return Promise.resolve(engine);
    return new Promise((resolve, reject) => {
      const waiter = (ready: JobEngine) => {
        signal?.removeEventListener('abort', giveUp);
        resolve(ready);
      };
      const giveUp = () => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', giveUp, { once: true });
      this.waiters.push(waiter);
    });
  }

  release(engine: JobEngine): void {
    if (!engine.alive) {
      this.replace(engine);
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) waiter(engine);
    else this.idle.push(engine);
  }

  /** Kills a process (its native work stops at once) and starts a fresh one in its slot. */
  async discard(engine: JobEngine): Promise<void> {
    await engine.kill();
    this.replace(engine);
  }

  pids(): number[] {
    return [...this.all].flatMap((engine) => (engine.alive && engine.pid ? [engine.pid] : []));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.all].map((engine) => engine.kill()));
    this.all.clear();
    this.idle.length = 0;
  }

  private spawn(): JobEngine {
    const engine = this.create();
    this.all.add(engine);
    return engine;
  }

  private replace(dead: JobEngine): void {
    this.all.delete(dead);
    if (this.closed) return;
    const engine = this.spawn();
    engine.ready.then(
      () => this.release(engine),
      (error: unknown) => {
        if (this.closed) return;
        this.logger.error({ err: error }, 'replacement engine process failed to start; retrying in 5 s');
        this.all.delete(engine);
        setTimeout(() => this.replace(engine), 5_000).unref();
      },
    );
  }
}
