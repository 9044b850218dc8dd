import {
  CreateScheduleRequest,
  DeliveryObject,
  ScheduleObject,
  WebhookSecretObject,
} from '@gantry/contracts';
import { z } from 'zod';
import { errorResponses, keyedErrors } from './error-responses.js';
import { dataOf, ok, pathParameter, ref } from './operation-parts.js';
import type { SchemaComponents } from './schema-components.js';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { unrepresentable: 'any', io }) as Record<string, unknown>;

const jobId = pathParameter('id', 'The job id');
const scheduleId = pathParameter('id', 'The schedule id (`Location` of its creation)');

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
  components.add('Delivery', jsonSchema(DeliveryObject, 'output'));
  components.add('Schedule', jsonSchema(ScheduleObject, 'output'));
  const createSchedule = components.add('CreateScheduleRequest', jsonSchema(CreateScheduleRequest, 'input'));
  components.add('WebhookSecret', jsonSchema(WebhookSecretObject, 'output'));
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
        description:
          'A file field of the target\'s input names a blob uploaded once with `POST /v1/blobs` as `{ "blob_id": … }`: it must be the tenant\'s (else `BLOB_NOT_FOUND`) and of a type the job reads (else `UNSUPPORTED_MEDIA_TYPE`); it is stored as its full reference, and kept past retention while the schedule exists.',
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
            'BLOB_NOT_FOUND',
            'UNSUPPORTED_MEDIA_TYPE',
            'WEBHOOK_URL_FORBIDDEN',
            'WEBHOOK_SECRET_MISSING',
            'EMAIL_NOT_CONFIGURED',
            'QUOTA_EXCEEDED',
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
