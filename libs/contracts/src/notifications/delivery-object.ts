import { z } from 'zod';
import { ErrorInfo } from '../error-body.js';

export const NotificationChannel = z.enum(['webhook', 'email']);
export type NotificationChannel = z.infer<typeof NotificationChannel>;

export const DeliveryStatus = z.enum(['pending', 'delivered', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const DeliveryAttempt = z.object({
  at: z.iso.datetime(),
  duration_ms: z.number().int().min(0),
  status_code: z.number().int().nullable().describe("The receiver's HTTP status"),
  error: ErrorInfo.nullable(),
  response: z.string().nullable().describe("The start of the receiver's answer"),
});
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;

/**
 * One webhook delivery or e-mail report of a job, as its delivery log answers it
 * (`GET /v1/jobs/{id}/webhook-deliveries`, `…/email-deliveries`): the message, its target, every attempt.
 */
export const DeliveryObject = z
  .object({
    id: z.string().describe('Also the `webhook-id` of the message'),
    event: z.string().describe('`<kind>.<status>`, e.g. `job.succeeded`').meta({ example: 'job.succeeded' }),
    url: z.string().optional().describe('A webhook: its target'),
    to: z.array(z.string()).optional().describe('An e-mail report: its addresses'),
    status: DeliveryStatus,
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    attempts: z.array(DeliveryAttempt),
    urls: z.object({ redeliver: z.string() }),
  })
  .meta({ id: 'Delivery' });
export type DeliveryObject = z.infer<typeof DeliveryObject>;

/** `POST /v1/webhook-secret`: the tenant's new signing secret, shown in this answer only. */
export const WebhookSecretObject = z
  .object({
    secret: z.string().describe('`whsec_…`: shown in this answer only'),
    created_at: z.iso.datetime(),
    previous_valid_until: z.iso
      .datetime()
      .nullable()
      .describe('Until when the secret it replaced still signs too (WEBHOOK_SECRET_GRACE_S)'),
  })
  .meta({ id: 'WebhookSecret' });
export type WebhookSecretObject = z.infer<typeof WebhookSecretObject>;
