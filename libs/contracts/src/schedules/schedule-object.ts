import { z } from 'zod';
import { ErrorInfo } from '../error-body.js';
import { Priority } from '../job-object.js';
import { EmailRequest, WebhookRequest } from '../notify-targets.js';
import { PipelineDefinition } from '../pipelines/pipeline-definition.js';

const Input = z
  .record(z.string(), z.unknown())
  .describe(
    'The input, as the job type (or the pipeline) takes it; a file field names a blob uploaded once with POST /v1/blobs as { "blob_id": … }',
  );

/**
 * What a schedule runs: a job type, as `POST /v1/jobs/{type}` would take it; or a pipeline (a built-in
 * name or a definition), as `POST /v1/pipelines…` would. `webhook` and `email` notify on each run's statuses.
 */
export const ScheduleTarget = z.union([
  z
    .object({
      type: z.string().min(1),
      input: Input,
      priority: Priority.optional(),
      webhook: WebhookRequest.optional(),
      email: EmailRequest.optional(),
    })
    .strict(),
  z
    .object({
      pipeline: z.union([z.string().min(1), PipelineDefinition]),
      input: Input,
      priority: Priority.optional(),
      webhook: WebhookRequest.optional(),
      email: EmailRequest.optional(),
    })
    .strict(),
]);
export type ScheduleTarget = z.infer<typeof ScheduleTarget>;

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const MisfirePolicy = z
  .enum(['run_once', 'skip'])
  .describe('A tick missed while nothing ran: run it once when back, or skip it');
export type MisfirePolicy = z.infer<typeof MisfirePolicy>;

/**
 * `POST /v1/schedules`: a cron expression or an interval (seconds), in a time zone, and a target. The
 * gateway also parses `cron` (cron-parser, kept out of this browser-safe package) before it accepts one.
 */
export const CreateScheduleRequest = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    cron: z.string().trim().min(1).max(200).optional().describe('5 or 6 fields, e.g. "0 9 * * 1-5"'),
    every: z
      .number()
      .int()
      .min(1)
      .max(366 * 86_400)
      .optional()
      .describe('Interval in seconds'),
    timezone: z.string().default('UTC').refine(isTimeZone, 'not an IANA time zone, e.g. "Europe/Berlin"'),
    misfire: MisfirePolicy.default('run_once'),
    target: ScheduleTarget,
  })
  .strict()
  .refine((body) => (body.cron === undefined) !== (body.every === undefined), {
    message: 'give either "cron" or "every", not both',
    path: ['cron'],
  });
export type CreateScheduleRequest = z.infer<typeof CreateScheduleRequest>;
export type CreateScheduleRequestInput = z.input<typeof CreateScheduleRequest>;

/** A schedule as the API answers it, with its next run (null while paused). */
export const ScheduleObject = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    cron: z.string().nullable(),
    every: z.number().int().nullable().describe('Interval in seconds'),
    timezone: z.string().meta({ example: 'Europe/Berlin' }),
    misfire: MisfirePolicy,
    target: ScheduleTarget,
    paused: z.boolean(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    last_tick_at: z.iso.datetime().nullable(),
    last_job_id: z.string().nullable(),
    last_error: ErrorInfo.nullable(),
    skipped_ticks: z.number().int().min(0).describe('Ticks missed while down and skipped'),
    next_run_at: z.iso.datetime().nullable().describe('Null while paused'),
    urls: z.object({ get: z.string(), pause: z.string(), resume: z.string() }),
  })
  .meta({ id: 'Schedule' });
export type ScheduleObject = z.infer<typeof ScheduleObject>;
