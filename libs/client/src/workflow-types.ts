import type {
  BatchObject,
  BatchResultLine as BatchResultLineObject,
  builtInPipelines,
  PipelineDefinitionInput,
  PipelineRunObject,
} from '@gantry/contracts';
import type { AnyJobType, InputOf, OutputOf } from './job-types.js';

/** A named pipeline: completion for the built-in ones, room for those a newer gateway ships. */
export type PipelineName = (typeof builtInPipelines)[number]['name'] | (string & {});

/** What `runPipeline`/`submitPipeline` run: a named pipeline, or an ad-hoc definition. */
export type PipelineRef = PipelineName | PipelineDefinitionInput;

/** A pipeline run as `GET /v1/pipeline-runs/{id}` answers it: per-step status, progress, outputs, errors. */
export type PipelineRun = PipelineRunObject;

/** A batch as the API answers it: its status and its items counted by status. */
export type Batch = BatchObject;

/** One line of a batch's results, in input order, with `T`'s output (name the type: `batchResults<'llm.tags'>`). */
export type BatchResultLine<T extends string = AnyJobType> = Omit<BatchResultLineObject, 'output'> & {
  output: OutputOf<T> | null;
};

/**
 * What `submitBatch` sends: a job type or a pipeline, over `items` (JSON, with an optional `priority`)
 * or over a JSONL file of inputs, one a line (`jsonl`, streamed: for batches too large for one JSON body).
 */
export type BatchRequest<T extends string = AnyJobType> =
  | { type: T; items: readonly InputOf<T>[]; priority?: number }
  | { pipeline: PipelineRef; items: readonly Record<string, unknown>[]; priority?: number }
  | { type: T; jsonl: Blob }
  | { pipeline: PipelineName; jsonl: Blob };
