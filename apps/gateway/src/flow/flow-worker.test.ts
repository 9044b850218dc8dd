import { maxStoredJsonBytes } from '@gantry/contracts';
import { createLogger } from '@gantry/observability';
import type { HandlerContext } from '@gantry/queue-runtime';
import { describe, expect, it } from 'vitest';
import { WebhookAddressPolicy } from '../notifications/webhook-address-policy.js';
import { flowWorker } from './flow-worker.js';

const ctx: HandlerContext = {
  jobId: 'run.store',
  tenant: 'acme',
  attempt: 1,
  signal: new AbortController().signal,
  logger: createLogger('flow-test', 'silent'),
  progress: () => undefined,
  readBlob: () => Promise.reject(new Error('not read')),
  writeBlob: (bytes, { filename }) => Promise.resolve({ blob_id: 'b1', size: bytes.length, filename }),
  useModel: () => undefined,
};

describe('flow.store', () => {
  // The notification machinery is not reached by flow.store.
  const { handlers } = flowWorker({ notify: {} as never });

  it('writes the value as JSON', async () => {
    const stored = await handlers['flow.store']({ data: { a: 1 }, filename: 'a.json' }, ctx, null);
    expect(stored.blob).toEqual({ blob_id: 'b1', size: 7, filename: 'a.json' });
  });

  it('refuses a value over 5 MB as JSON with FLOW_STORE_TOO_LARGE', async () => {
    const data = 'x'.repeat(maxStoredJsonBytes);
    await expect(handlers['flow.store']({ data, filename: 'big.json' }, ctx, null)).rejects.toMatchObject({
      code: 'FLOW_STORE_TOO_LARGE',
      details: { bytes: maxStoredJsonBytes + 2, max_bytes: maxStoredJsonBytes },
    });
  });
});

describe('flow.notify', () => {
  // The policy is real; the log, queue and secrets are never reached: the step is refused before.
  const notify = { policy: new WebhookAddressPolicy([]), emailEnabled: false } as never;
  const { handlers } = flowWorker({ notify });

  it('refuses an e-mail on a gateway without SMTP with EMAIL_NOT_CONFIGURED, naming input.email', async () => {
    await expect(
      handlers['flow.notify']({ email: { to: 'a@example.test' }, data: 1 }, ctx, null),
    ).rejects.toMatchObject({
      code: 'EMAIL_NOT_CONFIGURED',
      details: { issues: [{ path: ['input', 'email'] }] },
    });
  });

  it('refuses a literal private address in the shorthand url, naming input.url', async () => {
    await expect(
      handlers['flow.notify']({ url: 'http://169.254.169.254/latest', data: 1 }, ctx, null),
    ).rejects.toMatchObject({
      code: 'WEBHOOK_URL_FORBIDDEN',
      details: { issues: [{ path: ['input', 'url'] }] },
    });
  });
});
