import type { ModelInfo } from '@gantry/contracts';
import type { Logger } from '@gantry/observability';
import type { EngineDevice } from '../define-worker.js';
import type { JobEngine } from './job-engine.js';

/** The jobs an engine in service runs now; `shared` while they are all of shared types. */
interface Load {
  jobs: number;
  shared: boolean;
}

interface Waiter {
  shared: boolean;
  resolve(engine: JobEngine): void;
}

/**
 * A fixed number of warm engines (one per concurrency slot). A process that is killed
 * (timeout, cancel, crash) is replaced in the background; jobs wait for a ready one.
 *
 * An engine runs one job at a time, except jobs of shared types (the worker's `engineSharing`): up to
 * `jobsPerEngine` of those run in one engine together, so its handlers can batch them. A shared job goes
 * to the least busy engine that runs only shared jobs; an exclusive job waits for an idle engine. Waiters
 * are served in order, so a stream of shared jobs cannot starve an exclusive one.
 */
export class EnginePool {
  /** Engines that are ready and in service, with what they run. */
  private readonly load = new Map<JobEngine, Load>();
  private readonly waiters: Waiter[] = [];
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
    private readonly jobsPerEngine = 1,
  ) {}

  /** Starts every process and waits for their setup; rejects with the first setup error. */
  async start(): Promise<{ models: ModelInfo[]; types: string[]; device: EngineDevice | null }> {
    const engines = Array.from({ length: this.size }, () => this.spawn());
    try {
      const results = await Promise.all(engines.map((engine) => engine.ready));
      for (const engine of engines) this.enlist(engine);
      this.models = results[0]?.models ?? [];
      this.device = results[0]?.device ?? null;
      return results[0] ?? { models: [], types: [], device: null };
    } catch (error) {
      await Promise.all(engines.map((engine) => engine.kill()));
      engines.forEach((engine) => this.all.delete(engine));
      throw error;
    }
  }

  /**
   * An engine for one job, at once or when one has room; an abort gives up the wait (rejects with its
   * reason). `shared`: the job's type may share its engine with other shared jobs.
   */
  acquire(signal?: AbortSignal, shared = false): Promise<JobEngine> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const engine = this.waiters.length === 0 ? this.pick(shared) : null;
    if (engine) return Promise.resolve(this.take(engine, shared));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        shared,
        resolve: (ready) => {
          signal?.removeEventListener('abort', giveUp);
          resolve(ready);
        },
      };
      const giveUp = () => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(signal?.reason as Error);
        // The head of the line may have been all that held the others back.
        this.serve();
      };
      signal?.addEventListener('abort', giveUp, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** A job of this engine ended; a dead engine (it crashed) is replaced once its slot is empty. */
  release(engine: JobEngine): void {
    const load = this.load.get(engine);
    if (!load) return;
    load.jobs = Math.max(0, load.jobs - 1);
    if (!engine.alive) {
      if (load.jobs === 0) this.retire(engine);
    } else if (load.jobs === 0) load.shared = true;
    this.serve();
  }

  /** Kills a process (its native work stops at once, with every job in it) and starts a fresh one. */
  async discard(engine: JobEngine): Promise<void> {
    const inService = this.load.delete(engine);
    await engine.kill();
    if (inService) this.replace(engine);
  }

  pids(): number[] {
    return [...this.all].flatMap((engine) => (engine.alive && engine.pid ? [engine.pid] : []));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.all].map((engine) => engine.kill()));
    this.all.clear();
    this.load.clear();
  }

  /** The engine a job would get now: an idle one, else (shared) the least busy sharing one with room. */
  private pick(shared: boolean): JobEngine | null {
    let best: JobEngine | null = null;
    let bestJobs = Infinity;
    for (const [engine, load] of this.load) {
      if (!engine.alive) {
        if (load.jobs === 0) this.retire(engine);
        continue;
      }
      const fits = load.jobs === 0 || (shared && load.shared && load.jobs < this.jobsPerEngine);
      if (fits && load.jobs < bestJobs) {
        best = engine;
        bestJobs = load.jobs;
      }
    }
    return best;
  }

  private take(engine: JobEngine, shared: boolean): JobEngine {
    const load = this.load.get(engine) ?? { jobs: 0, shared: true };
    load.jobs += 1;
    load.shared &&= shared;
    this.load.set(engine, load);
    return engine;
  }

  /** Hands engines with room to waiters, in order, until the first that cannot be served. */
  private serve(): void {
    for (let waiter = this.waiters[0]; waiter; waiter = this.waiters[0]) {
      const engine = this.pick(waiter.shared);
      if (!engine) return;
      this.waiters.shift();
      waiter.resolve(this.take(engine, waiter.shared));
    }
  }

  private enlist(engine: JobEngine): void {
    if (this.closed) return;
    this.load.set(engine, { jobs: 0, shared: true });
    this.serve();
  }

  private spawn(): JobEngine {
    const engine = this.create();
    this.all.add(engine);
    return engine;
  }

  private retire(dead: JobEngine): void {
    this.load.delete(dead);
    this.replace(dead);
  }

  private replace(dead: JobEngine): void {
    this.all.delete(dead);
    if (this.closed) return;
    const engine = this.spawn();
    engine.ready.then(
      () => this.enlist(engine),
      (error: unknown) => {
        if (this.closed) return;
        this.logger.error({ err: error }, 'replacement engine process failed to start; retrying in 5 s');
        this.all.delete(engine);
        setTimeout(() => this.replace(engine), 5_000).unref();
      },
    );
  }
}
