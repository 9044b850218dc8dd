import type { EmailTarget, WebhookTarget } from '@gantry/contracts';

interface NotifyTargets {
  webhook?: WebhookTarget;
  email?: EmailTarget;
}

/**
 * For a pipeline that reports its success from a step (`reports_success`): of a run request's `webhook`
 * and `email`, the address of each that asks for `succeeded` goes into the run's input for that step
 * (`webhook: { url }`, `email: { to }`), and the run's own notification keeps the other statuses asked for
 * (none left: no run notification on that channel). So a success is told once, by the step, with what the
 * steps made; a failure, a cancel, a timeout or an expiry, which no later step sees, by the run.
 */
export function splitSuccessNotify(targets: NotifyTargets): {
  run: NotifyTargets;
  input: { webhook?: { url: string }; email?: { to: string[] } };
} {
  const run: NotifyTargets = {};
  const input: { webhook?: { url: string }; email?: { to: string[] } } = {};
  if (targets.webhook) {
    const { url, events } = targets.webhook;
    if (events.includes('succeeded')) input.webhook = { url };
    const rest = events.filter((event) => event !== 'succeeded');
    if (rest.length > 0) run.webhook = { url, events: rest };
  }
  if (targets.email) {
    const { to, events } = targets.email;
    if (events.includes('succeeded')) input.email = { to };
    const rest = events.filter((event) => event !== 'succeeded');
    if (rest.length > 0) run.email = { to, events: rest };
  }
  return { run, input };
}
