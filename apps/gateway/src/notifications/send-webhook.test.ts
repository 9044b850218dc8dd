import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWebhook } from './send-webhook.js';
import { type ResolveAll, WebhookAddressPolicy } from './webhook-address-policy.js';
import { newWebhookSecret } from './webhook-signature.js';

// A real HTTP receiver on loopback; names resolve through the test's own table (no network here), and the
// connection is made to the address that table gave: the one the policy judged.
let receiver: Server;
let port: number;
const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];

const resolver: ResolveAll = (hostname, _options, callback) =>
  hostname.endsWith('.test')
    ? callback(null, [{ address: '127.0.0.1', family: 4 }])
    : callback(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), []);

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      if (req.url === '/moved') res.writeHead(302, { location: '/ok' }).end();
      else
        res.writeHead(req.url === '/ok' ? 204 : 500).end(req.url === '/ok' ? undefined : 'x'.repeat(5_000));
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
});

afterAll(() => new Promise((resolve) => receiver.close(resolve)));

const message = (url: string, secret = newWebhookSecret()) => ({
  url,
  id: 'msg_send',
  body: '{"type":"job.succeeded"}',
  secrets: [secret],
});

describe('sendWebhook', () => {
  it('delivers a signed POST to an allowed host, at the address its lookup gave', async () => {
    const secret = newWebhookSecret();
    const policy = new WebhookAddressPolicy(['hooks.internal.test'], resolver);
    const attempt = await sendWebhook(
      message(`http://hooks.internal.test:${port}/ok`, secret),
      policy,
      5_000,
    );
    expect(attempt).toMatchObject({ ok: true, statusCode: 204, error: null });
    const request = received.at(-1);
    expect(request?.headers['host']).toBe(`hooks.internal.test:${port}`);
    expect(
      new Webhook(secret).verify(request?.body ?? '', request?.headers as Record<string, string>),
    ).toEqual({
      type: 'job.succeeded',
    });
  });

  it('refuses a name resolving to a private address before connecting', async () => {
    const before = received.length;
    const attempt = await sendWebhook(
      message(`http://intranet.test:${port}/ok`),
      new WebhookAddressPolicy([], resolver),
      5_000,
    );
    expect(attempt.ok).toBe(false);
    expect(attempt.error?.toInfo()).toMatchObject({ code: 'WEBHOOK_URL_FORBIDDEN', retryable: false });
    expect(attempt.error?.details).toMatchObject({
      host: 'intranet.test',
      address: '127.0.0.1',
      range: 'loopback',
    });
    expect(received.length).toBe(before);
  });

  it('refuses the metadata address and loopback literals at delivery too', async () => {
    const policy = new WebhookAddressPolicy([], resolver);
    for (const url of ['http://169.254.169.254/latest/meta-data', `http://127.0.0.1:${port}/ok`]) {
      const attempt = await sendWebhook(message(url), policy, 5_000);
      expect(attempt.error?.code, url).toBe('WEBHOOK_URL_FORBIDDEN');
    }
  });

  it('does not follow a redirect, keeps only the start of a long answer, and fails retryably on 5xx', async () => {
    const policy = new WebhookAddressPolicy(['127.0.0.1'], resolver);
    const moved = await sendWebhook(message(`http://127.0.0.1:${port}/moved`), policy, 5_000);
    expect(moved).toMatchObject({ ok: false, statusCode: 302 });
    expect(moved.error?.toInfo()).toMatchObject({ code: 'WEBHOOK_DELIVERY_FAILED', retryable: true });
    expect(received.at(-1)?.path).toBe('/moved');
    const failed = await sendWebhook(message(`http://127.0.0.1:${port}/fail`), policy, 5_000);
    expect(failed).toMatchObject({ ok: false, statusCode: 500 });
    expect(failed.response?.length).toBe(1_024);
  });

  it('fails retryably when nothing listens', async () => {
    const policy = new WebhookAddressPolicy(['127.0.0.1'], resolver);
    const attempt = await sendWebhook(message('http://127.0.0.1:1/ok'), policy, 2_000);
    expect(attempt.error?.toInfo()).toMatchObject({ code: 'WEBHOOK_DELIVERY_FAILED', retryable: true });
  });
});
