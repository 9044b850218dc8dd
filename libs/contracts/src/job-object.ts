import { z } from 'zod';
import { ErrorInfo } from './error-body.js';
import { JobStatus } from './job-status.js';
import { ModelInfo } from './model-info.js';
import { EmailRequest, EmailTarget, WebhookRequest, WebhookTarget } from './notify-targets.js';

export const Priority = z.number().int().min(1).max(10).describe('1 runs first; without one, plain FIFO');

export const JobProgress = z.object({
  pct: z.number().min(0).max(100),
  message: z.string().nullable(),
});
export type JobProgress = z.infer<typeof JobProgress>;

/** A job as every API answers it (snake_case, RFC 3339 times). */
export const JobObject = z
  .object({
    id: z.string(),
    type: z.string(),
    status: JobStatus,
    status_reason: z.string().nullable().describe('Why a job waits, e.g. no live worker for its queue'),
    priority: Priority.nullable(),
    attempt: z.number().int().nonnegative(),
    max_attempts: z.number().int().positive(),
    progress: JobProgress,
    input: z.unknown(),
    output: z.unknown().nullable(),
    error: ErrorInfo.nullable(),
    model: ModelInfo.nullable(),
    worker: z.string().nullable(),
    created_at: z.iso.datetime(),
    started_at: z.iso.datetime().nullable(),
    completed_at: z.iso.datetime().nullable(),
    expires_at: z.iso
      .datetime()
      .nullable()
      .describe('Start deadline (`expires_in` after creation): still queued then, the job ends `expired`'),
    webhook: WebhookTarget.nullable().describe('Signed POSTs on these statuses (Standard Webhooks)'),
    email: EmailTarget.nullable().describe('E-mail reports on these statuses'),
    urls: z.object({ get: z.string(), cancel: z.string(), events: z.string() }),
  })
  .meta({ id: 'Job' });
export type JobObject = z.infer<typeof JobObject>;

export const JobList = z
  .object({ data: z.array(JobObject), next_cursor: z.string().nullable() })
  .meta({ id: 'JobList' });
export type JobList = z.infer<typeof JobList>;

/** One status change of a job as recorded, oldest first: `data` holds what the change carried (attempt and worker, error…). */
export const JobHistoryEntry = z
  .object({
    seq: z.number().int().positive(),
    status: JobStatus,
    at: z.iso.datetime(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'JobHistoryEntry' });
export type JobHistoryEntry = z.infer<typeof JobHistoryEntry>;

export const JobHistory = z.object({ data: z.array(JobHistoryEntry) }).meta({ id: 'JobHistory' });
export type JobHistory = z.infer<typeof JobHistory>;

/** Seconds a job may wait for a worker; still queued after that, it ends `expired` and never runs. */
export const ExpiresIn = z
  .number()
  .int()
  .min(1)
  .max(30 * 86_400)
  .describe('Start deadline in seconds: still queued after it, the job ends `expired` and never runs');

export const CreateJobRequest = z.object({
  input: z.unknown(),
  priority: Priority.optional(),
  expires_in: ExpiresIn.optional(),
  webhook: WebhookRequest.optional(),
  email: EmailRequest.optional(),
});
export type CreateJobRequest = z.infer<typeof CreateJobRequest>;
