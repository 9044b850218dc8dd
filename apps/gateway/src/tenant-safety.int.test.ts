import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from './start-gateway.js';
import { type GatewayHarness, startGatewayHarness } from './testing/gateway-harness.js';

// Two gateway replicas on one real Redis and PostgreSQL (one schema), and a real worker: every limit
// here must hold across replicas, so each test talks to both.
let harness: GatewayHarness;
let gateways: readonly RunningGateway[] = [];
const keys = { acme: '', acmeAdmin: '', globexAdmin: '', platform: '' };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = Omit<Response, 'json'> & { json(): Promise<any> };
const api = (replica: number, route: string, key: string, init: RequestInit = {}): Promise<Reply> =>
  fetch(`${gateways[replica]?.url}${route}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, ...(init.headers as Record<string, string>) },
  });
const postJson = (replica: number, route: string, key: string, body: unknown, headers = {}) =>
  api(replica, route, key, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });
const sleepJob = (replica: number, key: string, ms: number, headers = {}) =>
  postJson(replica, '/v1/jobs/test.sleep', key, { input: { ms } }, headers);

beforeAll(async () => {
  harness = await startGatewayHarness({
    name: 'tenancy',
    env: {
      GATEWAY_RATE_LIMIT_PER_S: '2',
      GATEWAY_RATE_LIMIT_BURST: '6',
      GATEWAY_SSE_STREAMS_PER_TENANT: '2',
      GATEWAY_WAIT_HOLDS_PER_TENANT: '1',
    },
    replicas: 2,
    worker: {},
  });
  ({ gateways } = harness);
  const free = { rate_limit_per_s: 0 };
  keys.acme = await harness.key({ tenant: 'acme', name: 'free', scopes: ['jobs'], limits: free });
  keys.acmeAdmin = await harness.key({ tenant: 'acme', name: 'a', scopes: ['jobs', 'admin'], limits: free });
  keys.globexAdmin = await harness.key({
    tenant: 'globex',
    name: 'g',
    scopes: ['jobs', 'admin'],
    limits: free,
  });
  keys.platform = await harness.key({
    tenant: 'ops',
    name: 'p',
    scopes: ['jobs', 'admin', 'platform'],
    limits: free,
  });
}, 60_000);

afterAll(() => harness?.close());

/** A new key of tenant acme, made over the API by its admin. */
async function newKey(scopes: string[] = ['jobs']): Promise<{ id: string; key: string }> {
  const res = await postJson(0, '/v1/keys', keys.acmeAdmin, { name: 'made in a test', scopes });
  expect(res.status).toBe(201);
  return res.json();
}

describe('rate limits per API key, shared by the replicas', () => {
  it('lets the burst through on both replicas with RateLimit headers, then answers 429 RATE_LIMITED', async () => {
    const { key } = await newKey();
    const started = Date.now();
    const remaining: string[] = [];
    let refused: Reply | null = null;
    for (let i = 0; i < 40 && !refused; i += 1) {
      const res = await api(i % 2, '/v1/jobs/no-such-job', key);
      expect(res.headers.get('ratelimit-limit')).toBe('6');
      if (res.status === 429) refused = res;
      else remaining.push(res.headers.get('ratelimit-remaining') ?? '');
    }
    // One bucket for both replicas: the burst of 6, plus what 2 tokens a second refilled meanwhile (a
    // bucket per replica would have let 12 through).
    const refilled = Math.floor(((Date.now() - started) / 1_000) * 2);
    expect(remaining.length).toBeGreaterThanOrEqual(6);
    expect(remaining.length).toBeLessThanOrEqual(6 + refilled);
    expect(remaining[0]).toBe('5');
    if (!refused) throw new Error('never refused');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(refused.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(1);
    expect((await refused.json()).error).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      details: { limit: 'requests_per_second', rate_per_s: 2, burst: 6 },
    });
    // The enqueue path too: nothing is queued for a refused request.
    const enqueue = await sleepJob(1, key, 1);
    expect(enqueue.status).toBe(429);
    // Two tokens a second: a second later the key works again.
    await delay(1_100);
    const again = await sleepJob(1, key, 1);
    expect(again.status).toBe(202);
    expect(again.headers.get('ratelimit-limit')).toBe('6');
  });

  it('honours a key of its own limit: none for an unlimited key, and a platform key sets one on every replica', async () => {
    for (let i = 0; i < 20; i += 1) {
      const res = await api(i % 2, '/v1/jobs/no-such-job', keys.acme);
      expect(res.status).toBe(404);
      expect(res.headers.get('ratelimit-limit')).toBeNull();
    }
    const { id, key } = await newKey();
    expect((await api(0, '/v1/jobs/x', key)).status).toBe(404);
    expect((await api(1, '/v1/jobs/x', key)).status).toBe(404);
    const limits = { rate_limit_per_s: 1, rate_limit_burst: 1 };
    const patch = (caller: string) =>
      api(0, `/v1/keys/${id}`, caller, {
        method: 'PATCH',
        body: JSON.stringify(limits),
        headers: { 'content-type': 'application/json' },
      });
    expect((await patch(keys.acmeAdmin)).status).toBe(403);
    const patched = await patch(keys.platform);
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id, ...limits });
    // Both replicas had the key cached with the defaults; the change reached them.
    await expect
      .poll(async () => (await api(1, '/v1/jobs/x', key)).headers.get('ratelimit-limit'), { timeout: 2_000 })
      .toBe('1');
    await delay(1_100);
    expect((await api(0, '/v1/jobs/x', key)).status).toBe(404);
    expect((await api(1, '/v1/jobs/x', key)).status).toBe(429);
  });
});

describe('keys and scopes', () => {
  it("lets a tenant admin create, list and revoke the tenant's own keys only", async () => {
    const created = await newKey(['jobs', 'admin']);
    expect(created.key).toMatch(/^gk_/);
    const listed = await (await api(1, '/v1/keys', keys.acmeAdmin)).json();
    const entry = listed.data.find((k: { id: string }) => k.id === created.id);
    expect(entry).toMatchObject({ tenant: 'acme', scopes: ['jobs', 'admin'], revoked_at: null });
    expect(JSON.stringify(listed)).not.toContain(created.key.slice(3));
    expect(listed.data.every((k: { tenant: string }) => k.tenant === 'acme')).toBe(true);

    expect((await api(0, '/v1/keys', keys.acme)).status).toBe(403);
    const grant = await postJson(0, '/v1/keys', keys.acmeAdmin, { name: 'x', scopes: ['platform'] });
    expect(grant.status).toBe(403);
    const limited = await postJson(0, '/v1/keys', keys.acmeAdmin, { name: 'x', rate_limit_per_s: 0 });
    expect(limited.status).toBe(403);
    const bad = await postJson(0, '/v1/keys', keys.acmeAdmin, { name: '', scopes: ['root'] });
    expect(bad.status).toBe(422);
    // Another tenant's admin cannot see or revoke it.
    const foreign = await api(1, `/v1/keys/${created.id}`, keys.globexAdmin, { method: 'DELETE' });
    expect(foreign.status).toBe(404);
    expect((await foreign.json()).error.code).toBe('API_KEY_NOT_FOUND');
    expect((await api(0, '/v1/jobs/x', created.key)).status).toBe(404);
    expect((await api(0, `/v1/keys/${created.id}`, keys.acmeAdmin, { method: 'DELETE' })).status).toBe(204);
    expect((await api(0, '/v1/jobs/x', created.key)).status).toBe(401);
  });

  it('stops a revoked key on every replica within 2 s, well inside the cache TTL', async () => {
    const { id, key } = await newKey();
    // Both replicas have the key cached (for 15 s).
    expect((await api(0, '/v1/jobs/x', key)).status).toBe(404);
    expect((await api(1, '/v1/jobs/x', key)).status).toBe(404);
    expect((await api(0, `/v1/keys/${id}`, keys.acmeAdmin, { method: 'DELETE' })).status).toBe(204);
    const revokedAt = Date.now();
    await expect
      .poll(async () => (await api(1, '/v1/jobs/x', key)).status, { timeout: 2_000, interval: 50 })
      .toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(2_000);
    expect((await api(0, '/v1/jobs/x', key)).status).toBe(401);
  });

  it('stops a key revoked the moment a replica has started, at its very next request', async () => {
    const { id, key } = await newKey();
    // startGateway resolves once its subscription to key changes is confirmed and will last.
    const late = await startGateway(harness.env);
    try {
      const ask = () => fetch(`${late.url}/v1/jobs/x`, { headers: { authorization: `Bearer ${key}` } });
      expect((await ask()).status).toBe(404);
      expect((await api(0, `/v1/keys/${id}`, keys.acmeAdmin, { method: 'DELETE' })).status).toBe(204);
      expect((await ask()).status).toBe(401);
    } finally {
      await late.close();
    }
  });
});

describe('quotas per tenant, counted across replicas', () => {
  /** Opens an SSE stream and reads its first event; the caller aborts it. */
  async function openStream(replica: number, jobId: string) {
    const abort = new AbortController();
    const res = await api(replica, `/v1/jobs/${jobId}/events`, keys.acme, { signal: abort.signal });
    if (res.status === 200) {
      const reader = res.body?.getReader();
      await reader?.read();
    }
    return { status: res.status, res, close: () => abort.abort() };
  }

  it('refuses the event stream over the quota with QUOTA_EXCEEDED naming the limit, and frees it on close', async () => {
    const job = await (await sleepJob(0, keys.acme, 20_000)).json();
    const first = await openStream(0, job.id);
    const second = await openStream(1, job.id);
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await openStream(0, job.id);
    expect(third.status).toBe(429);
    expect((await third.res.json()).error).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      details: { limit: 'event_streams', value: 2 },
    });
    first.close();
    await expect
      .poll(
        async () => {
          const next = await openStream(1, job.id);
          next.close();
          return next.status;
        },
        { timeout: 3_000 },
      )
      .toBe(200);
    second.close();
    await api(0, `/v1/jobs/${job.id}/cancel`, keys.acme, { method: 'POST' });
  });

  it('refuses a second Prefer: wait hold before queueing its job, while plain requests go on', async () => {
    const holding = sleepJob(0, keys.acme, 20_000, { prefer: 'wait=3' });
    await delay(500);
    const refused = await sleepJob(1, keys.acme, 1, { prefer: 'wait' });
    expect(refused.status).toBe(429);
    expect((await refused.json()).error).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      details: { limit: 'wait_holds', value: 1 },
    });
    expect((await sleepJob(1, keys.acme, 1)).status).toBe(202);
    const held = await holding;
    expect(held.status).toBe(202);
    await api(0, `/v1/jobs/${(await held.json()).id}/cancel`, keys.acme, { method: 'POST' });
    // The hold is given back with the answer: the next wait is accepted (finished in time or not).
    expect([200, 202]).toContain((await sleepJob(1, keys.acme, 1, { prefer: 'wait=1' })).status);
  });
});
