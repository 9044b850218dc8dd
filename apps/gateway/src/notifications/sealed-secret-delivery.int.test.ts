import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGatewayHarness } from '../testing/gateway-harness.js';
import { until } from '../testing/until.js';
import { SecretCipher } from './secret-cipher.js';
import { newWebhookSecret } from './webhook-signature.js';

// Deliveries on real things (a gateway with its delivery worker, the runtime's test worker, Redis,
// PostgreSQL, an HTTP receiver) when the stored secret is not what a fresh rotation writes: a row from
// before encryption, and a row sealed with a key this gateway was not given.
let harness: GatewayHarness;
let receiver: Server;
let hookBase: string;
const hits: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];

const submit = async (key: string, path: string): Promise<string> => {
  const response = await fetch(`${harness.gateway.url}/v1/jobs/test.sleep`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ input: { ms: 10 }, webhook: { url: `${hookBase}${path}` } }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
};
const deliveries = async (key: string, jobId: string) => {
  const response = await fetch(`${harness.gateway.url}/v1/jobs/${jobId}/webhook-deliveries`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return ((await response.json()) as { data: unknown[] }).data as {
    status: string;
    attempts: { status_code: number | null; error: { code: string; retryable: boolean } | null }[];
  }[];
};
const storedSecret = async (tenant: string) =>
  (
    await harness.pool.query<{ secret: string }>('SELECT secret FROM webhook_secrets WHERE tenant = $1', [
      tenant,
    ])
  ).rows[0]?.secret;
const verify = (secret: string, path: string) => {
  const hit = hits.find((one) => one.path === path);
  return new Webhook(secret).verify(hit?.body ?? '', hit?.headers as Record<string, string>);
};

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      hits.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  harness = await startGatewayHarness({
    name: 'sealed',
    env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_RETRY_WINDOW_S: '60' },
    worker: { heartbeatMs: 300 },
  });
}, 60_000);

afterAll(async () => {
  await harness?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('deliveries signed with a stored secret (real gateway, worker, receiver)', () => {
  it('signs with a secret stored before encryption, so receivers notice nothing, and seals it', async () => {
    const secret = newWebhookSecret();
    await harness.pool.query('INSERT INTO webhook_secrets (tenant, secret) VALUES ($1, $2)', [
      'legacy',
      secret,
    ]);
    const key = await harness.key({ tenant: 'legacy', name: 'backend', scopes: ['jobs'] });
    const jobId = await submit(key, '/legacy');
    await until(
      () => deliveries(key, jobId),
      (data) => data[0]?.status === 'delivered',
      20_000,
    );
    expect(verify(secret, '/legacy')).toMatchObject({ type: 'job.succeeded', data: { id: jobId } });
    expect(await storedSecret('legacy')).toMatch(/^v1:/);
  }, 30_000);

  it('keeps retrying, with the reason logged, while no key opens the secret, then delivers', async () => {
    const secret = newWebhookSecret();
    const lostKey = new SecretCipher(randomBytes(32));
    await harness.pool.query('INSERT INTO webhook_secrets (tenant, secret) VALUES ($1, $2)', [
      'rekeyed',
      lostKey.seal(secret, 'rekeyed'),
    ]);
    const key = await harness.key({ tenant: 'rekeyed', name: 'backend', scopes: ['jobs'] });
    const jobId = await submit(key, '/rekeyed');
    const [failing] = await until(
      () => deliveries(key, jobId),
      (data) => (data[0]?.attempts.length ?? 0) >= 2,
      20_000,
    );
    expect(failing?.status).toBe('pending');
    expect(failing?.attempts[0]).toMatchObject({
      status_code: null,
      error: { code: 'WEBHOOK_SECRET_UNREADABLE', retryable: true },
    });
    expect(hits.filter((hit) => hit.path === '/rekeyed')).toEqual([]);
    // The operator puts the right key back (here: the row, sealed with the gateway's own key).
    const gatewayKey = new SecretCipher(harness.env.WEBHOOK_SECRET_KEY);
    await harness.pool.query('UPDATE webhook_secrets SET secret = $2 WHERE tenant = $1', [
      'rekeyed',
      gatewayKey.seal(secret, 'rekeyed'),
    ]);
    await until(
      () => deliveries(key, jobId),
      (data) => data[0]?.status === 'delivered',
      20_000,
    );
    expect(verify(secret, '/rekeyed')).toMatchObject({ type: 'job.succeeded', data: { id: jobId } });
  }, 45_000);
});
