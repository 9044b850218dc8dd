import type {
  BatchObject,
  BlobObject,
  BatchResultLine as BatchResultLineObject,
  builtInPipelines,
  CreateScheduleRequestInput,
  DeliveryObject,
  EmailRequest,
  PipelineDefinitionInput,
  PipelineRunObject,
  ScheduleObject,
  WebhookRequest,
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

/** A batch's own notifications, on its statuses (the final ones by default), never its items'. */
interface BatchNotify {
  webhook?: WebhookRequest;
  email?: EmailRequest;
}

/**
 * What `submitBatch` sends: a job type or a pipeline, over `items` (JSON, with an optional `priority`,
 * `webhook` and `email`) or over a JSONL file of inputs, one a line (`jsonl`, streamed: for batches too
 * large for one JSON body; its `webhook` is a URL, sent as `?webhook=`, on the final statuses).
 */
export type BatchRequest<T extends string = AnyJobType> =
  | ({ type: T; items: readonly InputOf<T>[]; priority?: number } & BatchNotify)
  | ({ pipeline: PipelineRef; items: readonly Record<string, unknown>[]; priority?: number } & BatchNotify)
  | { type: T; jsonl: Blob; webhook?: string }
  | { pipeline: PipelineName; jsonl: Blob; webhook?: string };

/** A schedule as the API answers it: its timing, its target, its last tick and its next run. */
export type Schedule = ScheduleObject;

/** A file stored once (`uploadBlob`): name it from an input or a schedule's target as `{ blob_id }`. */
export type StoredBlob = BlobObject;

/** What `createSchedule` sends: `cron` or `every` (seconds), a `timezone` (UTC by default) and a target. */
export type ScheduleRequest = CreateScheduleRequestInput;

/** One webhook delivery or e-mail report of a job, with every attempt (its delivery log). */
export type Delivery = DeliveryObject;

/** A job's notification channel: its `webhook` deliveries or its `email` reports. */
export type DeliveryChannel = 'webhook' | 'email';
