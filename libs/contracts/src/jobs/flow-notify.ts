import { z } from 'zod';
import { defineJob } from '../define-job.js';

/**
 * A pipeline step that sends a signed webhook (Standard Webhooks, type `flow.notify`) through the gateway's
 * notification delivery: the step ends once the message is queued; delivery retries and logs it as it does
 * a job's webhook. A refused address or a tenant without a signing secret fails the step.
 */
export const FlowNotify = defineJob({
  type: 'flow.notify',
  queue: 'flow',
  summary: 'Send a signed webhook carrying a value (e.g. an earlier step’s output)',
  runs: 'event-loop',
  input: z.object({
    url: z
      .url({ protocol: /^https?$/, normalize: true })
      .max(2_048)
      .describe('http(s) URL that receives the signed POST'),
    data: z
      .unknown()
      .describe('The `data` of the webhook payload; in a pipeline, usually `$steps.<id>.output`'),
  }),
  output: z.object({ notification_id: z.string() }),
  defaults: { attempts: 3, timeoutMs: 30_000 },
  errors: ['WEBHOOK_URL_FORBIDDEN', 'WEBHOOK_SECRET_MISSING'],
  examples: [{ url: 'https://example.com/hooks/gantry', data: { summary: 'Invoice 42 is due on 1 March.' } }],
});
