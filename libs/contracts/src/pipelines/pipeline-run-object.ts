import { z } from 'zod';
import { ErrorInfo } from '../error-body.js';
import { JobProgress } from '../job-object.js';
import { JobStatus } from '../job-status.js';
import { EmailTarget, WebhookTarget } from '../notify-targets.js';
import { StepStatus } from './pipeline-definition.js';

export const PipelineRunStep = z.object({
  id: z.string(),
  type: z.string(),
  status: StepStatus,
  /** The jobs of the step: one, or one per element of a `for_each` step; none before it starts. */
  jobs: z.array(z.object({ id: z.string(), status: JobStatus })),
  output: z.unknown().nullable().describe('A `for_each` step: the list of its jobs’ outputs, in order'),
  error: ErrorInfo.nullable(),
});
export type PipelineRunStep = z.infer<typeof PipelineRunStep>;

/** A pipeline run as `GET /v1/pipeline-runs/{id}` answers it. It is also a job (type `pipeline`), notified as one. */
export const PipelineRunObject = z
  .object({
    id: z.string(),
    pipeline: z.object({ name: z.string().nullable(), version: z.number().nullable() }),
    status: JobStatus,
    progress: JobProgress,
    input: z.unknown(),
    output: z.unknown().nullable(),
    error: ErrorInfo.nullable(),
    steps: z.array(PipelineRunStep),
    webhook: WebhookTarget.nullable().describe("Signed POSTs on the run's statuses (Standard Webhooks)"),
    email: EmailTarget.nullable().describe("E-mail reports on the run's statuses"),
    created_at: z.iso.datetime(),
    started_at: z.iso.datetime().nullable(),
    completed_at: z.iso.datetime().nullable(),
    urls: z.object({ get: z.string(), cancel: z.string(), events: z.string() }),
  })
  .meta({ id: 'PipelineRun' });
export type PipelineRunObject = z.infer<typeof PipelineRunObject>;
