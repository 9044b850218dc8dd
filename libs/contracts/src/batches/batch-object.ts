import { z } from 'zod';
import { Priority } from '../job-object.js';
import { JobStatus } from '../job-status.js';
import { EmailRequest, EmailTarget, WebhookRequest, WebhookTarget } from '../notify-targets.js';
import { PipelineDefinition } from '../pipelines/pipeline-definition.js';

/**
 * `POST /v1/batches` as JSON: one job type or one pipeline (a built-in name or a definition) run over
 * each item. Larger batches come as a JSONL body instead (`?type=` or `?pipeline=`, one input a line).
 * `webhook` and `email` notify on the batch's own statuses (the final ones by default), never its items'.
 * Unknown fields are let through and ignored.
 */
export const CreateBatchRequest = z
  .object({
    type: z.string().optional(),
    pipeline: z.union([z.string(), PipelineDefinition]).optional(),
    items: z.array(z.record(z.string(), z.unknown())).min(1),
    priority: Priority.optional(),
    webhook: WebhookRequest.optional(),
    email: EmailRequest.optional(),
  })
  .refine((body) => (body.type === undefined) !== (body.pipeline === undefined), {
    message: 'give exactly one of "type" and "pipeline"',
    path: ['type'],
  });
export type CreateBatchRequest = z.infer<typeof CreateBatchRequest>;

/**
 * An item's status: its job's, or `pending` before its job exists (a batch starts a window at a time). An
 * ended batch has no `pending` item: one it never started is `canceled` with it (error `JOB_CANCELED`).
 */
export const BatchItemStatus = z.union([JobStatus, z.literal('pending')]);
export type BatchItemStatus = z.infer<typeof BatchItemStatus>;

export const BatchObject = z
  .object({
    id: z.string(),
    type: z.string().nullable(),
    pipeline: z
      .string()
      .nullable()
      .describe('The pipeline’s name (null for an ad-hoc definition or a job type)'),
    status: JobStatus,
    total: z.number().int(),
    counts: z
      .partialRecord(BatchItemStatus, z.number().int())
      .describe(
        'Items by status, as PostgreSQL has recorded them; once the batch has ended, an item whose end is not recorded yet counts by its live state',
      ),
    created_at: z.iso.datetime(),
    completed_at: z.iso.datetime().nullable(),
    webhook: WebhookTarget.nullable().describe("Signed POSTs on the batch's statuses (Standard Webhooks)"),
    email: EmailTarget.nullable().describe("E-mail reports on the batch's statuses"),
    urls: z.object({ get: z.string(), results: z.string(), cancel: z.string(), events: z.string() }),
  })
  .meta({ id: 'Batch' });
export type BatchObject = z.infer<typeof BatchObject>;

/** One line of `GET /v1/batches/{id}/results`, in input order. */
export const BatchResultLine = z.object({
  index: z.number().int(),
  id: z.string().describe('The item’s job (or pipeline run)'),
  status: BatchItemStatus,
  output: z.unknown().nullable(),
  error: z.unknown().nullable(),
});
export type BatchResultLine = z.infer<typeof BatchResultLine>;
