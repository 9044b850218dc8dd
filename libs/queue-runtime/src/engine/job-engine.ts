import type { ModelInfo } from '@gantry/contracts';
import type { EngineDevice } from '../define-worker.js';
import type { EngineOutcome, EngineRun } from './engine-process.js';

/** A concurrency slot's runner: an engine process, or the worker's own event loop. */
export interface JobEngine {
  readonly ready: Promise<{ models: ModelInfo[]; types: string[]; device: EngineDevice | null }>;
  readonly alive: boolean;
  readonly pid: number | undefined;
  run(job: EngineRun, onProgress: (pct: number, message: string | null) => void): Promise<EngineOutcome>;
  /** The polite first step: the handler's signal aborts. */
  abort(jobId: string): void;
  /** Stops the work for good; the pool puts a fresh engine in the slot. */
  kill(): Promise<void>;
}
