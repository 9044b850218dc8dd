import { EmailRequest, PipelineDefinition, Priority, WebhookRequest } from '@gantry/contracts';
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';

const Input = z.record(z.string(), z.unknown());

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

/** `POST /v1/schedules`: a cron expression or an interval (seconds), in a time zone, and a target. */
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
    misfire: z
      .enum(['run_once', 'skip'])
      .default('run_once')
      .describe('A tick missed while nothing ran: run it once when back, or skip it'),
    target: ScheduleTarget,
  })
  .strict()
  .superRefine((body, ctx) => {
    if ((body.cron === undefined) === (body.every === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['cron'], message: 'give either "cron" or "every", not both' });
    } else if (body.cron !== undefined) {
      try {
        CronExpressionParser.parse(body.cron, { tz: body.timezone });
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['cron'], message: (error as Error).message });
      }
    }
  });
export type CreateScheduleRequest = z.infer<typeof CreateScheduleRequest>;
