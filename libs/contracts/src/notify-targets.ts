import { z } from 'zod';
import { JobStatus, terminalStatuses } from './job-status.js';

/** A job's notifications fire on these statuses unless the request names others: the final ones. */
export const defaultNotifyEvents = terminalStatuses;

const NotifyEvents = z
  .array(JobStatus)
  .min(1)
  .max(JobStatus.options.length)
  .describe('Statuses that trigger a notification; default: the final ones');

/** `"webhook": { "url", "events"? }` beside `input` (Replicate's shape), as the client sends it. */
export const WebhookRequest = z
  .object({
    url: z
      .url({ protocol: /^https?$/, normalize: true })
      .max(2_048)
      .describe('http(s) URL that receives a signed POST (Standard Webhooks)'),
    events: NotifyEvents.optional(),
  })
  .strict();
export type WebhookRequest = z.infer<typeof WebhookRequest>;

/** `"email": { "to", "events"? }` beside `input`: a readable report of the job, sent over SMTP. */
export const EmailRequest = z
  .object({
    to: z.union([z.email(), z.array(z.email()).min(1).max(10)]).describe('One address or up to 10'),
    events: NotifyEvents.optional(),
  })
  .strict();
export type EmailRequest = z.infer<typeof EmailRequest>;

/** A job's webhook as stored and answered: its events filled in. */
export const WebhookTarget = z
  .object({ url: z.string(), events: z.array(JobStatus) })
  .meta({ id: 'WebhookTarget' });
export type WebhookTarget = z.infer<typeof WebhookTarget>;

/** A job's e-mail report as stored and answered: a list of addresses, its events filled in. */
export const EmailTarget = z
  .object({ to: z.array(z.string()), events: z.array(JobStatus) })
  .meta({ id: 'EmailTarget' });
export type EmailTarget = z.infer<typeof EmailTarget>;

export const toWebhookTarget = (request: WebhookRequest): WebhookTarget => ({
  url: request.url,
  events: [...new Set(request.events ?? defaultNotifyEvents)],
});

export const toEmailTarget = (request: EmailRequest): EmailTarget => ({
  to: [...new Set(typeof request.to === 'string' ? [request.to] : request.to)],
  events: [...new Set(request.events ?? defaultNotifyEvents)],
});
