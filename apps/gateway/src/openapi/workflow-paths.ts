import { z } from 'zod';
import { CreateScheduleRequest } from '../schedules/schedule-request.js';

const schema = (type: z.ZodType) => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(type, { unrepresentable: 'any', io: 'input' });
  return rest;
};

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});
const param = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });

const deliveryPaths = (channel: 'webhook' | 'email', what: string) => ({
  [`/v1/jobs/{id}/${channel}-deliveries`]: {
    get: {
      summary: `The job's ${what}, each with its attempts (the delivery log)`,
      parameters: [param('id')],
      responses: { '200': { description: '{ data: [delivery] }' }, '404': error('No such job') },
    },
  },
  [`/v1/jobs/{id}/${channel}-deliveries/{delivery}/redeliver`]: {
    post: {
      summary: `Deliver one of the job's ${what} again (same message id)`,
      parameters: [param('id'), param('delivery')],
      responses: { '202': { description: 'Queued' }, '404': error('No such job or delivery') },
    },
  },
});

const schedule = { description: 'The schedule, with next_run_at' };

/** OpenAPI paths of webhooks, e-mail reports and schedules. */
export const workflowPaths = {
  '/v1/webhook-secret': {
    post: {
      summary: "Create or rotate the tenant's webhook signing secret (admin); shown in this answer only",
      responses: { '201': { description: '{ secret: "whsec_…", created_at, previous_valid_until }' } },
    },
  },
  ...deliveryPaths('webhook', 'webhook deliveries'),
  ...deliveryPaths('email', 'e-mail reports'),
  '/v1/schedules': {
    get: { summary: "The tenant's schedules", responses: { '200': { description: '{ data: [schedule] }' } } },
    post: {
      summary: 'Run a job type on a cron expression or an interval, in a time zone',
      requestBody: {
        required: true,
        content: { 'application/json': { schema: schema(CreateScheduleRequest) } },
      },
      responses: { '201': schedule, '422': error('Bad cron, time zone, target or input; details.issues') },
    },
  },
  '/v1/schedules/{id}': {
    get: {
      summary: 'Get a schedule',
      parameters: [param('id')],
      responses: { '200': schedule, '404': error('No such schedule') },
    },
    delete: {
      summary: 'Delete a schedule',
      parameters: [param('id')],
      responses: { '204': { description: 'Deleted' }, '404': error('No such schedule') },
    },
  },
  '/v1/schedules/{id}/pause': {
    post: { summary: 'Pause a schedule', parameters: [param('id')], responses: { '200': schedule } },
  },
  '/v1/schedules/{id}/resume': {
    post: { summary: 'Resume a schedule', parameters: [param('id')], responses: { '200': schedule } },
  },
};
