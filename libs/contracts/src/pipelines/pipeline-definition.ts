import { z } from 'zod';
import { ExpiresIn, Priority } from '../job-object.js';
import { EmailRequest, WebhookRequest } from '../notify-targets.js';

const StepId = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]{0,62}$/,
    'a step id is lowercase letters, digits, "_" or "-", starting with a letter',
  );

/**
 * How a step's input is built: an object whose string values starting with `$` are references —
 * `$input.<path>` (the run's input), `$steps.<id>.output.<path>` (an earlier step's output),
 * `$item.<path>` (the element of a `for_each` step) — and whose other values are taken as they are.
 * `[*]` in a path maps over a list: `$steps.ocr.output[*].text` is the list of each page's text.
 */
export const StepMapping = z.record(z.string(), z.unknown());
export type StepMapping = z.infer<typeof StepMapping>;

export const PipelineStep = z
  .object({
    id: StepId,
    type: z.string().describe('The job type this step runs'),
    input: StepMapping,
    for_each: z
      .string()
      .optional()
      .describe('A reference to a list: the step runs once per element (fan-out), `$item` being the element'),
    on_failure: z
      .enum(['fail_run', 'continue'])
      .default('fail_run')
      .describe('`continue`: the run goes on without this step; the steps that need it are skipped'),
    retry: z
      .object({
        attempts: z.number().int().min(1).max(10),
        backoff_ms: z.number().int().min(0).max(3_600_000).optional(),
      })
      .optional()
      .describe("Overrides the job type's attempts and first retry delay"),
    timeout_ms: z.number().int().min(100).max(86_400_000).optional(),
  })
  .meta({ id: 'PipelineStep' });
export type PipelineStep = z.infer<typeof PipelineStep>;

/** A small DAG of jobs, declared in data: a step's dependencies are the steps its mapping references. */
export const PipelineDefinition = z
  .object({
    name: z.string().max(100).optional(),
    version: z.number().int().min(1).optional(),
    steps: z.array(PipelineStep).min(1).max(50),
    output: StepMapping.optional().describe("The run's output; the last step's output when left out"),
    reports_success: z
      .boolean()
      .optional()
      .describe(
        'True when a step reports the run’s success itself (a `flow.notify` step mapping `$input.webhook` and ' +
          '`$input.email`): a request’s `webhook` and `email` that ask for `succeeded` give that step their ' +
          'address, and the run’s own notification keeps their other statuses, so a success is told once',
      ),
  })
  .meta({ id: 'PipelineDefinition' });
export type PipelineDefinition = z.infer<typeof PipelineDefinition>;
/** A definition as a client writes it: `on_failure` may be left out. */
export type PipelineDefinitionInput = z.input<typeof PipelineDefinition>;

/**
 * `POST /v1/pipelines/{name}`: `webhook` and `email` notify on the run's statuses (by default its final
 * one), as for a job. Unknown fields are let through (and ignored), for older clients.
 */
export const RunPipelineRequest = z.object({
  input: z.record(z.string(), z.unknown()),
  priority: Priority.optional(),
  expires_in: ExpiresIn.optional(),
  webhook: WebhookRequest.optional(),
  email: EmailRequest.optional(),
});
export type RunPipelineRequest = z.infer<typeof RunPipelineRequest>;

/** `POST /v1/pipelines`: an ad-hoc definition run once. */
export const RunAdHocPipelineRequest = RunPipelineRequest.extend({ pipeline: PipelineDefinition });
export type RunAdHocPipelineRequest = z.infer<typeof RunAdHocPipelineRequest>;

export const StepStatus = z.enum([
  'pending',
  'queued',
  'running',
  'retrying',
  'succeeded',
  'failed',
  'timed_out',
  'canceled',
  'expired',
  'skipped',
]);
export type StepStatus = z.infer<typeof StepStatus>;
