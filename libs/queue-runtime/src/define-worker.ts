import type { BlobRef, JobContract, JobInput, JobOutput, JobRuns, ModelInfo } from '@gantry/contracts';
import type { Logger } from '@gantry/observability';
import type { WorkerEnv } from './worker-env.js';

/** What a handler gets besides its input; never the raw BullMQ job. */
export interface HandlerContext {
  jobId: string;
  /** The tenant the job belongs to (blobs and notifications are the tenant's). */
  tenant: string;
  attempt: number;
  /** Aborted on cancel or timeout; an engine process is killed right after, an event-loop handler abandoned. */
  signal: AbortSignal;
  logger: Logger;
  progress(pct: number, message?: string): void;
  readBlob(ref: BlobRef): Promise<Buffer>;
  /**
   * Stores bytes the job produced as a blob of the job's tenant (kept like an upload: JOB_RETENTION_S
   * after it was written) and returns its reference for the output. Its `media_type` is sniffed from the
   * bytes unless `mediaType` says what the handler wrote (JSON, which sniffs as text).
   */
  writeBlob(bytes: Buffer, options: { filename: string; mediaType?: string }): Promise<BlobRef>;
  /** Names the model that produced this output when the worker loaded several. */
  useModel(model: ModelInfo): void;
}

export type Handler<C extends JobContract, TEngines> = (
  input: JobInput<C>,
  ctx: HandlerContext,
  engines: TEngines,
) => Promise<JobOutput<C>>;

export interface WorkerSetup<TEngines> {
  engines: TEngines;
  /** What was loaded (name, version, sha256): announced, and stamped on each output. */
  models: ModelInfo[];
  /** Where the engines really run; left out by engines without a GPU path (the CPU). */
  device?: EngineDevice;
  dispose?: () => Promise<void>;
}

export interface EngineSharing<TType extends string = string> {
  types: readonly TType[];
  /**
   * How many jobs of these types one engine process runs at once, read from the engine processes'
   * environment once at boot. A canceled or timed-out shared job gets its signal aborted and its engine is
   * killed only if it has not answered within `graceMs` (default 2 s); the other jobs of that engine then
   * go back to the queue without losing an attempt.
   */
  jobsPerEngine(env: NodeJS.ProcessEnv): number;
  graceMs?: number;
}

export interface EngineDevice {
  device: 'cpu' | 'gpu';
  /** Why a GPU request (WORKER_DEVICE=gpu) runs on the CPU; null when it got what it asked for. */
  fallback: string | null;
}

export interface WorkerDefinition<TContracts extends readonly JobContract[], TEngines> {
  queue: string;
  contracts: TContracts;
  /** Runs once per engine process, before it takes a job; throw GantryError('MODEL_UNAVAILABLE') to stay not-ready. */
  setup(context: { logger: Logger; env: WorkerEnv }): Promise<WorkerSetup<TEngines>>;
  handlers: HandlerMap<TContracts, TEngines>;
  /**
   * Job types that may share an engine process, so that handlers can batch jobs that arrive together
   * (vision's micro-batching). Left out, or `jobsPerEngine` 1, every job has an engine of its own.
   */
  engineSharing?: EngineSharing<TContracts[number]['type']>;
  /**
   * Node or V8 flags its engine processes start with, after the worker's own (e.g. vision's
   * `--single-threaded-gc`). Left out, they start with the worker's flags alone.
   */
  engineNodeFlags?: readonly string[];
  /**
   * Runs once in the worker's main process (never in an engine process) and returns what answers the
   * control-plane commands addressed to this worker, e.g. the predictive worker's model registry commands.
   */
  commands?(context: { logger: Logger }): (payload: unknown) => Promise<unknown>;
}

/**
 * Any worker's definition, whatever its contracts and engines: the runtime calls a handler only with an input
 * its contract parsed, so it needs no more of their types.
 */
export type AnyWorkerDefinition = Omit<WorkerDefinition<readonly JobContract[], unknown>, 'handlers'> & {
  handlers: object;
};

export type HandlerMap<TContracts extends readonly JobContract[], TEngines> = {
  [K in TContracts[number]['type']]: Handler<Extract<TContracts[number], { type: K }>, TEngines>;
};

/**
 * A worker app's module: its queue, the contracts it serves and a typed handler per contract.
 * Two steps so the compiler infers the contracts and engines first, then types every handler
 * from them, and points at the handler a new contract lacks; `runWorker` refuses to boot too.
 *
 * ```ts
 * export default defineWorker({ queue: 'ocr', contracts: [OcrExtract], setup }).handle({ 'ocr.extract': extractText });
 * ```
 */
export function defineWorker<const TContracts extends readonly JobContract[], TEngines>(
  base: Omit<WorkerDefinition<TContracts, TEngines>, 'handlers'>,
): { handle(handlers: HandlerMap<TContracts, TEngines>): WorkerDefinition<TContracts, TEngines> } {
  return { handle: (handlers) => ({ ...base, handlers }) };
}

/**
 * Where a worker's handlers run, from its contracts' `runs`. One worker runs them all in one place: a queue
 * mixing native inference with event-loop steps would make either wait for the other's slots.
 */
export function handlerPlacement(definition: AnyWorkerDefinition): JobRuns {
  const placements = new Set(definition.contracts.map((c) => c.runs));
  if (placements.size > 1) {
    throw new Error(
      `worker for queue "${definition.queue}" mixes job types that run in the event loop with engine ones: ` +
        'give the event-loop types a queue of their own',
    );
  }
  return placements.has('event-loop') ? 'event-loop' : 'engine';
}

/** Job types of the queue that have no handler: a worker with any refuses to boot. */
export function missingHandlers(
  definition: AnyWorkerDefinition,
  catalogue: readonly JobContract[],
): string[] {
  const handlers = definition.handlers as Record<string, unknown>;
  const expected = [...catalogue.filter((c) => c.queue === definition.queue), ...definition.contracts];
  return [...new Set(expected.map((c) => c.type))].filter((type) => typeof handlers[type] !== 'function');
}
