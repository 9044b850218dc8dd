import { FlowNotify, type JobInput, type JobOutput, toEmailTarget } from '@gantry/contracts';
import type { HandlerContext } from '@gantry/queue-runtime';
import { checkNotify } from '../notifications/check-notify.js';
import type { FlowEmailPayload } from '../notifications/flow-email-report.js';
import { type NewNotification, notificationId } from '../notifications/notification-log.js';
import type { FlowSteps } from './flow-worker.js';

/**
 * `flow.notify`: checks its targets as a job's `webhook` and `email` are checked at submission, records a
 * webhook and/or an e-mail in the delivery log under the step's job, and queues their delivery.
 */
export async function sendFlowNotify(
  { url, webhook, email, data }: JobInput<typeof FlowNotify>,
  ctx: HandlerContext,
  notify: FlowSteps['notify'],
): Promise<JobOutput<typeof FlowNotify>> {
  const hook = webhook
    ? { url: webhook.url, at: ['input', 'webhook', 'url'] }
    : url
      ? { url, at: ['input', 'url'] }
      : null;
  // Checked first so that a refusal names the field the pipeline wrote: the shorthand `url` or `webhook.url`.
  const refused = hook ? notify.policy.refuseLiteral(hook.url, hook.at) : null;
  if (refused) throw refused;
  const to = email ? toEmailTarget(email).to : null;
  await checkNotify(
    {
      ...(hook ? { webhook: { url: hook.url, events: [] } } : {}),
      ...(to ? { email: { to, events: [] } } : {}),
    },
    ctx.tenant,
    notify,
    ['input'],
  );
  ctx.signal.throwIfAborted();
  // The step job's id makes the message ids: a retried step re-queues the same messages, never new ones.
  const subject = { kind: 'job', id: ctx.jobId, tenant: ctx.tenant } as const;
  const event = FlowNotify.type;
  const timestamp = new Date().toISOString();
  const messages: NewNotification[] = [];
  if (hook) {
    const payload = { type: event, timestamp, data: data ?? null };
    messages.push({ subject, event, channel: 'webhook', target: { url: hook.url }, payload });
  }
  if (to) {
    const payload: FlowEmailPayload = {
      type: event,
      timestamp,
      subject: email?.subject ?? null,
      data: data ?? null,
      job_id: ctx.jobId,
    };
    messages.push({ subject, event, channel: 'email', target: { to }, payload });
  }
  await notify.queue.deliver(await notify.log.record(messages));
  return {
    ...(hook ? { notification_id: notificationId(subject, event, 'webhook') } : {}),
    ...(to ? { email_notification_id: notificationId(subject, event, 'email') } : {}),
  };
}
