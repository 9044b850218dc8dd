import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signWebhook } from './webhook-signature.js';

// The verifier is the `standardwebhooks` package, an implementation independent of ours.
describe('signWebhook', () => {
  const body = JSON.stringify({ type: 'job.succeeded', data: { id: 'j1', output: { text: 'ünïcode ✓' } } });
  const timestamp = Math.floor(Date.now() / 1_000);
  const headers = (signature: string) => ({
    'webhook-id': 'msg_1',
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signature,
  });

  it('signs so that the Standard Webhooks reference verifies it', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const signature = signWebhook([secret], 'msg_1', timestamp, body);
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers(signature))).toEqual(JSON.parse(body));
  });

  it('signs with both secrets during a rotation, each verifying on its own', () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const signature = signWebhook([current, previous], 'msg_1', timestamp, body);
    expect(signature.split(' ')).toHaveLength(2);
    expect(() => new Webhook(current).verify(body, headers(signature))).not.toThrow();
    expect(() => new Webhook(previous).verify(body, headers(signature))).not.toThrow();
  });

  it('does not verify a changed body, id or timestamp, nor under another secret', () => {
    const secret = newWebhookSecret();
    const signature = signWebhook([secret], 'msg_1', timestamp, body);
    const hook = new Webhook(secret);
    expect(() => hook.verify(`${body} `, headers(signature))).toThrow();
    expect(() => hook.verify(body, { ...headers(signature), 'webhook-id': 'msg_2' })).toThrow();
    expect(() =>
      hook.verify(body, { ...headers(signature), 'webhook-timestamp': String(timestamp + 1) }),
    ).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers(signature))).toThrow();
  });
});
