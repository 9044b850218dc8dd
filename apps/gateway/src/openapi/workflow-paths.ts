import { ErrorInfo } from '@gantry/contracts';
import { z } from 'zod';
import { CreateScheduleRequest, ScheduleTarget } from '../schedules/schedule-request.js';
import { errorResponses, keyedErrors } from './error-responses.js';
import { dataOf, ok, pathParameter, ref } from './operation-parts.js';
import type { SchemaComponents } from './schema-components.js';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { unrepresentable: 'any', io }) as Record<string, unknown>;

const jobId = pathParameter('id', 'The job id');
const scheduleId = pathParameter('id', 'The schedule id (`Location` of its creation)');
const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, 'null'], ...extra });

const channels = {
  webhook: { name: 'Webhook', what: 'webhook deliveries', target: 'url' },
  email: { name: 'Email', what: 'e-mail reports', target: 'to' },
} as const;

function deliveryPaths(channel: keyof typeof channels): Record<string, unknown> {
  const { name, what } = channels[channel];
  return {
    [`/v1/jobs/{id}/${channel}-deliveries`]: {
      get: {
        operationId: `listJob${name}Deliveries`,
        summary: `The job's ${what}, oldest first, each with its attempts (the delivery log)`,
        tags: ['notifications'],
        parameters: [jobId],
        responses: {
          '200': ok('Deliveries', dataOf(ref('Delivery'))),
          ...errorResponses([...keyedErrors, 'FORBIDDEN', 'JOB_NOT_FOUND', 'DATABASE_UNAVAILABLE']),
        },
      },
    },
    [`/v1/jobs/{id}/${channel}-deliveries/{delivery}/redeliver`]: {
      post: {
        operationId: `redeliverJob${name}`,
        summary: `Deliver one of the job's ${what} again (same message id)`,
        tags: ['notifications'],
        parameters: [jobId, pathParameter('delivery', 'The delivery id (`GET` of the log)')],
        responses: {
          '202': ok('Queued again', ref('Delivery')),
          ...errorResponses([
            ...keyedErrors,
            'FORBIDDEN',
            'JOB_NOT_FOUND',
            'NOTIFICATION_NOT_FOUND',
            'QUEUE_UNAVAILABLE',
            'DATABASE_UNAVAILABLE',
          ]),
        },
      },
    },
  };
}

const scheduleAnswer = (description: string) => ok(description, ref('Schedule'));
const scheduleErrors = [...keyedErrors, 'FORBIDDEN', 'SCHEDULE_NOT_FOUND', 'DATABASE_UNAVAILABLE'] as const;

/** OpenAPI paths of the webhook signing secret, the delivery logs of webhooks and e-mail reports, and schedules. */
export function workflowPaths(components: SchemaComponents): Record<string, unknown> {
  const errorInfo = components.add('ErrorInfo', jsonSchema(ErrorInfo, 'output'));
  const target = components.add('ScheduleTarget', jsonSchema(ScheduleTarget, 'output'));
  const createSchedule = components.add('CreateScheduleRequest', jsonSchema(CreateScheduleRequest, 'input'));
  Object.assign(components.schemas, {
    WebhookSecret: {
      type: 'object',
      required: ['secret', 'created_at', 'previous_valid_until'],
      properties: {
        secret: { type: 'string', description: '`whsec_…`: shown in this answer only' },
        created_at: { type: 'string', format: 'date-time' },
        previous_valid_until: nullable('string', {
          format: 'date-time',
          description: 'Until when the secret it replaced still signs too (WEBHOOK_SECRET_GRACE_S)',
        }),
      },
    },
    Delivery: {
      type: 'object',
      required: ['id', 'event', 'status', 'created_at', 'updated_at', 'attempts', 'urls'],
      properties: {
        id: { type: 'string', description: 'Also the `webhook-id` of the message' },
        event: {
          type: 'string',
          description: '`<kind>.<status>`, e.g. `job.succeeded`',
          example: 'job.succeeded',
        },
        url: { type: 'string', description: 'A webhook: its target' },
        to: {
          type: 'array',
          items: { type: 'string', format: 'email' },
          description: 'An e-mail report: its addresses',
        },
        status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
        created_at: { type: 'string', format: 'date-time' },
        updated_at: { type: 'string', format: 'date-time' },
        attempts: {
          type: 'array',
          items: {
            type: 'object',
            required: ['at', 'duration_ms', 'status_code', 'error', 'response'],
            properties: {
              at: { type: 'string', format: 'date-time' },
              duration_ms: { type: 'integer', minimum: 0 },
              status_code: nullable('integer', { description: "The receiver's HTTP status" }),
              error: { anyOf: [errorInfo, { type: 'null' }] },
              response: nullable('string', { description: "The start of the receiver's answer" }),
            },
          },
        },
        urls: { type: 'object', required: ['redeliver'], properties: { redeliver: { type: 'string' } } },
      },
    },
    Schedule: {
      type: 'object',
      required: [
        'id',
        'name',
        'cron',
        'every',
        'timezone',
        'misfire',
        'target',
        'paused',
        'next_run_at',
        'urls',
      ],
      properties: {
        id: { type: 'string' },
        name: nullable('string'),
        cron: nullable('string'),
        every: nullable('integer', { description: 'Interval in seconds' }),
        timezone: { type: 'string', example: 'Europe/Berlin' },
        misfire: { type: 'string', enum: ['run_once', 'skip'] },
        target,
        paused: { type: 'boolean' },
        created_at: { type: 'string', format: 'date-time' },
        updated_at: { type: 'string', format: 'date-time' },
        last_tick_at: nullable('string', { format: 'date-time' }),
        last_job_id: nullable('string'),
        last_error: { anyOf: [errorInfo, { type: 'null' }] },
        skipped_ticks: { type: 'integer', minimum: 0, description: 'Ticks missed while down and skipped' },
        next_run_at: nullable('string', { format: 'date-time', description: 'Null while paused' }),
        urls: {
          type: 'object',
          required: ['get', 'pause', 'resume'],
          properties: { get: { type: 'string' }, pause: { type: 'string' }, resume: { type: 'string' } },
        },
      },
    },
  });
  return {
    '/v1/webhook-secret': {
      post: {
        operationId: 'rotateWebhookSecret',
        summary: "Create or rotate the tenant's webhook signing secret; shown in this answer only",
        description: 'Needs the `admin` scope. The previous secret keeps signing for WEBHOOK_SECRET_GRACE_S.',
        tags: ['notifications'],
        responses: {
          '201': ok('The new secret', ref('WebhookSecret')),
          ...errorResponses([...keyedErrors, 'FORBIDDEN', 'DATABASE_UNAVAILABLE']),
        },
      },
    },
    ...deliveryPaths('webhook'),
    ...deliveryPaths('email'),
    '/v1/schedules': {
      get: {
        operationId: 'listSchedules',
        summary: "The tenant's schedules",
        tags: ['schedules'],
        responses: {
          '200': ok('Schedules', dataOf(ref('Schedule'))),
          ...errorResponses([...keyedErrors, 'FORBIDDEN', 'QUEUE_UNAVAILABLE', 'DATABASE_UNAVAILABLE']),
        },
      },
      post: {
        operationId: 'createSchedule',
        summary: 'Run a job type or a pipeline on a cron expression or an interval, in a time zone',
        tags: ['schedules'],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: createSchedule,
              example: {
                name: 'weekday digest',
                cron: '0 9 * * 1-5',
                timezone: 'Europe/Berlin',
                target: { type: 'llm.summarize', input: { text: 'The notes of the day.' } },
              },
            },
          },
        },
        responses: {
          '201': {
            ...scheduleAnswer('Created, with its next run'),
            headers: { Location: { description: 'The schedule', schema: { type: 'string' } } },
          },
          ...errorResponses([
            ...keyedErrors,
            'BAD_REQUEST',
            'FORBIDDEN',
            'PAYLOAD_TOO_LARGE',
            'VALIDATION_FAILED',
            'UNKNOWN_JOB_TYPE',
            'WEBHOOK_URL_FORBIDDEN',
            'WEBHOOK_SECRET_MISSING',
            'EMAIL_NOT_CONFIGURED',
            'QUEUE_UNAVAILABLE',
            'DATABASE_UNAVAILABLE',
          ]),
        },
      },
    },
    '/v1/schedules/{id}': {
      get: {
        operationId: 'getSchedule',
        summary: 'Get a schedule, with its next run',
        tags: ['schedules'],
        parameters: [scheduleId],
        responses: {
          '200': scheduleAnswer('The schedule'),
          ...errorResponses([...scheduleErrors, 'QUEUE_UNAVAILABLE']),
        },
      },
      delete: {
        operationId: 'deleteSchedule',
        summary: 'Delete a schedule: no tick runs after this answer',
        tags: ['schedules'],
        parameters: [scheduleId],
        responses: {
          '204': { description: 'Deleted' },
          ...errorResponses([...scheduleErrors, 'QUEUE_UNAVAILABLE']),
        },
      },
    },
    '/v1/schedules/{id}/pause': {
      post: {
        operationId: 'pauseSchedule',
        summary: 'Pause a schedule: no tick runs until it is resumed',
        tags: ['schedules'],
        parameters: [scheduleId],
        responses: {
          '200': scheduleAnswer('Paused'),
          ...errorResponses([...scheduleErrors, 'QUEUE_UNAVAILABLE']),
        },
      },
    },
    '/v1/schedules/{id}/resume': {
      post: {
        operationId: 'resumeSchedule',
        summary: 'Resume a paused schedule from its next tick',
        tags: ['schedules'],
        parameters: [scheduleId],
        responses: {
          '200': scheduleAnswer('Resumed'),
          ...errorResponses([...scheduleErrors, 'QUEUE_UNAVAILABLE']),
        },
      },
    },
  };
}
