import type { z } from 'zod';
import type { ErrorCode } from './error-codes.js';

export interface JobDefaults {
  /** Total tries, the first included. */
  attempts: number;
  /** First retry delay; doubles each retry, with jitter. */
  backoffMs: number;
  /** Wall-clock limit of one attempt; past it the engine process is stopped and the job is `timed_out`. */
  timeoutMs: number;
}

/**
 * Where a job's handler runs: `engine` (native inference) in a killable engine process of its worker (ADR 0002);
 * `event-loop` (steps that only move data or talk to the network) in the worker's own process, where the
 * abort signal is the only way to stop it.
 */
export type JobRuns = 'engine' | 'event-loop';

export const defaultJobDefaults: JobDefaults = { attempts: 3, backoffMs: 1_000, timeoutMs: 60_000 };

export interface JobContract<
  TType extends string = string,
  TInput extends z.ZodType = z.ZodType,
  TOutput extends z.ZodType = z.ZodType,
  TQueue extends string = string,
> {
  /** `<capability>.<verb>`, never renamed; a breaking change is a new type (`ocr.extract.v2`). */
  readonly type: TType;
  /** The capability queue that carries it (one worker deployment per queue). */
  readonly queue: TQueue;
  readonly summary: string;
  readonly input: TInput;
  readonly output: TOutput;
  readonly defaults: JobDefaults;
  readonly runs: JobRuns;
  /** Codes a failed job of this type may carry, besides the runtime's own. */
  readonly errors: readonly ErrorCode[];
  /** Media types (sniffed from the bytes) that its blob inputs accept; empty when it takes none. */
  readonly accepts: readonly string[];
  /** Inputs that pass its validation: the OpenAPI document's and the docs' request examples. */
  readonly examples: readonly z.input<TInput>[];
}

export type JobInput<C extends JobContract> = z.output<C['input']>;
export type JobInputRequest<C extends JobContract> = z.input<C['input']>;
export type JobOutput<C extends JobContract> = z.output<C['output']>;

const typePattern = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/** The one place a job type is defined: validation, handlers, OpenAPI and client types derive from it. */
export function defineJob<
  const TType extends string,
  const TQueue extends string,
  TInput extends z.ZodType,
  TOutput extends z.ZodType,
>(definition: {
  type: TType;
  queue: TQueue;
  summary: string;
  input: TInput;
  output: TOutput;
  defaults?: Partial<JobDefaults>;
  runs?: JobRuns;
  errors?: readonly ErrorCode[];
  accepts?: readonly string[];
  examples?: readonly z.input<TInput>[];
}): JobContract<TType, TInput, TOutput, TQueue> {
  if (!typePattern.test(definition.type)) {
    throw new Error(`job type "${definition.type}" must look like <capability>.<verb>`);
  }
  return Object.freeze({
    ...definition,
    defaults: { ...defaultJobDefaults, ...definition.defaults },
    runs: definition.runs ?? 'engine',
    errors: definition.errors ?? [],
    accepts: definition.accepts ?? [],
    examples: definition.examples ?? [],
  });
}
