import { type EmailTarget, GantryError, type WebhookTarget } from '@gantry/contracts';
import type { WebhookAddressPolicy } from './webhook-address-policy.js';
import type { WebhookSecrets } from './webhook-secrets.js';

export interface NotifyChecks {
  policy: WebhookAddressPolicy;
  secrets: WebhookSecrets;
  emailEnabled: boolean;
}

/**
 * Before a job (or a schedule of jobs) is accepted: a webhook to a literal private address is refused,
 * naming the field (a host name is judged at delivery, after DNS); a webhook needs the tenant's signing
 * secret, an e-mail the gateway's SMTP settings.
 */
export async function checkNotify(
  targets: { webhook?: WebhookTarget | undefined; email?: EmailTarget | undefined },
  tenant: string,
  checks: NotifyChecks,
  at: readonly string[] = [],
): Promise<void> {
  if (targets.webhook) {
    const refused = checks.policy.refuseLiteral(targets.webhook.url, [...at, 'webhook', 'url']);
    if (refused) throw refused;
    if (!(await checks.secrets.exists(tenant))) {
      throw new GantryError(
        'WEBHOOK_SECRET_MISSING',
        'webhooks are signed with the tenant’s secret: create it first with POST /v1/webhook-secret',
      );
    }
  }
  if (targets.email && !checks.emailEnabled) {
    throw new GantryError('EMAIL_NOT_CONFIGURED', 'this gateway has no SMTP settings for e-mail reports', {
      details: {
        issues: [{ path: [...at, 'email'], message: 'e-mail is not configured', code: 'unavailable' }],
      },
    });
  }
}
