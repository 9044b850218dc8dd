import { GantryError, type ModelInfo } from '@gantry/contracts';
import type { EngineDevice } from '../define-worker.js';
import type { EngineOutcome, EngineRun } from './engine-process.js';
import type { JobEngine } from './job-engine.js';
import { type HandlerHost, runHandler } from './run-handler.js';

/**
 * A concurrency slot that runs handlers in the worker's own process (contracts with `runs: 'event-loop'`):
 * steps that only move data or talk to the network need no process of their own, and their awaits let lock
 * renewal and cancels through. Stopping one aborts its signal and leaves the slot; the runtime ignores
 * whatever the handler answers afterwards and gives the slot a fresh engine.
 */
export class EventLoopEngine implements JobEngine {
  readonly ready: Promise<{ models: ModelInfo[]; types: string[]; device: EngineDevice | null }>;
  private current: { jobId: string; controller: AbortController } | null = null;
  private stopped = false;

  constructor(private readonly host: Promise<HandlerHost>) {
    this.ready = host.then(({ setup, handlers }) => ({
      models: setup.models,
      types: Object.keys(handlers),
      device: setup.device ?? null,
    }));
    this.ready.catch(() => undefined);
  }

  get alive(): boolean {
    return !this.stopped;
  }

  get pid(): number {
    return process.pid;
  }

  async run(
    job: EngineRun,
    onProgress: (pct: number, message: string | null) => void,
  ): Promise<EngineOutcome> {
    if (this.current) throw new Error('event-loop engine is busy');
    const controller = new AbortController();
    this.current = { jobId: job.jobId, controller };
    try {
      return await runHandler(await this.host, job, controller.signal, (pct, message) => {
        if (this.current?.controller === controller) onProgress(pct, message);
      });
    } finally {
      if (this.current?.controller === controller) this.current = null;
    }
  }

  abort(jobId: string): void {
    if (this.current?.jobId === jobId)
      this.current.controller.abort(new GantryError('JOB_CANCELED', 'aborted'));
  }

  async kill(): Promise<void> {
    this.stopped = true;
    this.current?.controller.abort(new GantryError('JOB_CANCELED', 'aborted'));
    this.current = null;
  }
}
