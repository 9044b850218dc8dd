import { z } from 'zod';
import { defineJob } from '../define-job.js';
import { EmailRequest, WebhookRequest } from '../notify-targets.js';

/**
 * A pipeline step that tells someone: a signed webhook (Standard Webhooks, type `flow.notify`) and/or an
 * e-mail (the value as a readable report), sent by the gateway's notification delivery. The step ends once
 * the messages are queued; delivery retries and logs them as it does a job's. The targets take the shapes
 * of a job's `webhook` and `email` without `events` (a step sends once, when it runs); with neither, it sends
 * nothing, so a pipeline can map optional targets from its input. A refused address, a tenant without a
 * signing secret or a gateway without SMTP fails the step.
 */
export const FlowNotify = defineJob({
  type: 'flow.notify',
  queue: 'flow',
  summary: 'Send a value (e.g. an earlier step’s output) in a signed webhook and/or an e-mail',
  runs: 'event-loop',
  input: z
    .object({
      url: WebhookRequest.shape.url
        .optional()
        .describe('Shorthand of `webhook.url` (this step’s first form; kept for existing pipelines)'),
      webhook: WebhookRequest.pick({ url: true })
        .optional()
        .describe('A signed POST, as a job’s `webhook` (no `events`)'),
      email: EmailRequest.pick({ to: true })
        .extend({
          subject: z.string().min(1).max(200).optional().describe('Default: "Gantry: result (<id>)"'),
        })
        .strict()
        .optional()
        .describe(
          'A readable report of `data` (HTML and text) with a link, as a job’s `email` (no `events`)',
        ),
      data: z
        .unknown()
        .describe(
          'What is sent: the webhook payload’s `data`, the e-mail’s content; usually `$steps.<id>.output`',
        ),
    })
    .refine((input) => input.url === undefined || input.webhook === undefined, {
      message: 'give `webhook.url` or its shorthand `url`, not both',
      path: ['webhook'],
    }),
  output: z.object({
    notification_id: z.string().optional().describe('The webhook’s message id (its `webhook-id` header)'),
    email_notification_id: z.string().optional().describe('The e-mail’s id in the delivery log'),
  }),
  defaults: { attempts: 3, timeoutMs: 30_000 },
  errors: ['WEBHOOK_URL_FORBIDDEN', 'WEBHOOK_SECRET_MISSING', 'EMAIL_NOT_CONFIGURED'],
  examples: [
    {
      webhook: { url: 'https://example.com/hooks/gantry' },
      email: { to: 'ops@example.com' },
      data: { summary: 'Invoice 42 is due on 1 March.' },
    },
  ],
});
