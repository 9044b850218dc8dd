import type { RunningWorker } from '@gantry/queue-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicWorkerId } from './jobs/worker-view.js';
import type { RunningGateway } from './start-gateway.js';
import { type GatewayHarness, startGatewayHarness } from './testing/gateway-harness.js';
import { startTcpLink, type TcpLink } from './testing/tcp-link.js';
import { until } from './testing/until.js';

// The real thing end to end: Redis, Postgres (own schema), BullMQ, engine processes, HTTP. The worker
// reaches Redis through a TCP link the tests can cut, the gateway directly.
let harness: GatewayHarness;
let workerLink: TcpLink;
let gateway: RunningGateway;
let worker: RunningWorker;
const keys: Record<'acme' | 'other' | 'admin', string> = { acme: '', other: '', admin: '' };

// Replies are read loosely: the assertions are the type checks here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = Omit<Response, 'json'> & { json(): Promise<any> };
const get = (url: string) => fetch(url) as Promise<Reply>;
const api = (route: string, init: RequestInit & { key?: string } = {}): Promise<Reply> =>
  fetch(`${gateway.url}${route}`, {
    ...init,
    headers: {
      authorization: `Bearer ${init.key ?? keys.acme}`,
      ...(init.headers as Record<string, string>),
    },
  });
const post = (route: string, body: unknown, headers: Record<string, string> = {}, key?: string) =>
  api(route, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
    ...(key ? { key } : {}),
  });

const job = async (jobId: string) => (await api(`/v1/jobs/${jobId}`)).json();
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
beforeAll(async () => {
  workerLink = await startTcpLink(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  harness = await startGatewayHarness({
    name: 'gw',
    env: { GATEWAY_JSON_LIMIT_BYTES: '20000', GATEWAY_FILE_LIMIT_BYTES: '100000' },
    worker: { heartbeatMs: 300, redisUrl: workerLink.url },
  });
  ({ gateway, worker } = harness);
  keys.acme = await harness.key({ tenant: 'acme', name: 'test', scopes: ['jobs'] });
  keys.other = await harness.key({ tenant: 'other', name: 'test', scopes: ['jobs'] });
  keys.admin = await harness.key({ tenant: 'acme', name: 'ops', scopes: ['jobs', 'admin', 'platform'] });
}, 60_000);

afterAll(async () => {
  await harness?.close();
  await workerLink?.close();
});

describe('gateway over HTTP (real Redis, Postgres, worker)', () => {
  it('answers 401 without a key and 401 with a bad one, in the one error shape', async () => {
    const none = await get(`${gateway.url}/v1/jobs`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      error: { code: 'UNAUTHORIZED', message: expect.any(String), retryable: false, details: null },
      request_id: none.headers.get('x-request-id'),
    });
    expect((await api('/v1/jobs', { key: 'gk_nope' })).status).toBe(401);
  });

  it('serves the catalogue including job types announced by live workers', async () => {
    const types = await until(
      async () => (await (await api('/v1/job-types')).json()) as { data: { type: string; source: string }[] },
      (body) => body.data.some((t) => t.type === 'test.sleep'),
    );
    expect(types.data.find((t) => t.type === 'test.sleep')?.source).toBe('announced');
  });

  it('accepts a job with 202 and Location, readable at once, then runs it', async () => {
    const res = await post('/v1/jobs/test.sleep', { input: { ms: 20 } });
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(res.headers.get('location')).toBe(`/v1/jobs/${body.id}`);
    expect(res.headers.get('x-trace-id')).toMatch(/^[\da-f]{32}$/);
    expect(body).toMatchObject({
      type: 'test.sleep',
      status: 'queued',
      attempt: 0,
      urls: { get: `/v1/jobs/${body.id}` },
    });
    expect((await api(`/v1/jobs/${body.id}`)).status).toBe(200);
    const done = await until(
      () => job(body.id),
      (j) => j.status === 'succeeded',
    );
    expect(done).toMatchObject({
      output: { slept_ms: 20 },
      model: { name: 'test-engine' },
      progress: { pct: 100 },
    });
    // The worker's id names its host and pid: only a platform key sees it; a tenant sees a stand-in.
    expect(done.worker).toBe(publicWorkerId(worker.id));
    expect((await (await api(`/v1/jobs/${body.id}`, { key: keys.admin })).json()).worker).toBe(worker.id);
  });

  it('returns the finished job with 200 under Prefer: wait', async () => {
    const res = await post('/v1/jobs/test.sleep', { input: { ms: 30 } }, { prefer: 'wait=10' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'succeeded', output: { slept_ms: 30 } });
    const slow = await post('/v1/jobs/test.sleep', { input: { ms: 3_000 } }, { prefer: 'wait=1' });
    expect(slow.status).toBe(202);
  });

  it('replays an Idempotency-Key with the same body and refuses another body', async () => {
    const key = { 'idempotency-key': `k-${Date.now()}` };
    const first = await (await post('/v1/jobs/test.sleep', { input: { ms: 10 } }, key)).json();
    const again = await post('/v1/jobs/test.sleep', { input: { ms: 10 } }, key);
    expect(again.status).toBe(202);
    expect((await again.json()).id).toBe(first.id);
    const conflict = await post('/v1/jobs/test.sleep', { input: { ms: 11 } }, key);
    expect(conflict.status).toBe(409);
    expect((await conflict.json()).error.code).toBe('IDEMPOTENCY_CONFLICT');
    const otherTenant = await post('/v1/jobs/test.sleep', { input: { ms: 10 } }, key, keys.other);
    expect((await otherTenant.json()).id).not.toBe(first.id);
    // expires_in is part of the body: another start deadline is another request.
    const expiring = { 'idempotency-key': `k-exp-${Date.now()}` };
    const soon = await (
      await post('/v1/jobs/test.sleep', { input: { ms: 10 }, expires_in: 60 }, expiring)
    ).json();
    const same = await post('/v1/jobs/test.sleep', { input: { ms: 10 }, expires_in: 60 }, expiring);
    expect((await same.json()).id).toBe(soon.id);
    const later = await post('/v1/jobs/test.sleep', { input: { ms: 10 }, expires_in: 3_600 }, expiring);
    expect(later.status).toBe(409);
    expect((await later.json()).error.code).toBe('IDEMPOTENCY_CONFLICT');
    // And so for a pipeline run.
    const runKey = { 'idempotency-key': `k-run-${Date.now()}` };
    const run = (expiresIn: number) =>
      post(
        '/v1/pipelines',
        {
          pipeline: { steps: [{ id: 'a', type: 'test.sleep', input: { ms: '$input.ms' } }] },
          input: { ms: 10 },
          expires_in: expiresIn,
        },
        runKey,
      );
    const started = await run(60);
    expect(started.status).toBe(202);
    expect((await run(60)).status).toBe(202);
    expect((await (await run(3_600)).json()).error?.code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('rejects bad requests with typed errors', async () => {
    const unknown = await post('/v1/jobs/nope.nothing', { input: {} });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toMatchObject({
      code: 'UNKNOWN_JOB_TYPE',
      details: { known_types: expect.arrayContaining(['test.sleep']) },
    });
    const invalid = await post('/v1/jobs/test.sleep', { input: { ms: 'soon' } });
    expect(invalid.status).toBe(422);
    expect((await invalid.json()).error.details.issues[0]).toMatchObject({
      path: ['ms'],
      code: 'invalid_type',
    });
    const text = await api('/v1/jobs/test.sleep', {
      method: 'POST',
      body: 'ms=1',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    const badJson = await api('/v1/jobs/test.sleep', {
      method: 'POST',
      body: '{"input":',
      headers: { 'content-type': 'application/json' },
    });
    expect(badJson.status).toBe(400);
    const huge = await post('/v1/jobs/test.sleep', { input: { ms: 1, pad: 'x'.repeat(30_000) } });
    expect(huge.status).toBe(413);
    const hugeError = (await huge.json()).error;
    expect(hugeError).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limit_bytes: 20_000 } });
    expect(hugeError.message).not.toMatch(/uploaded file/);
    // A type that takes a file says so: its data may go as an upload, under the far larger file limit.
    const hugeForFile = await post('/v1/jobs/test.checksum', { input: { note: 'x'.repeat(30_000) } });
    expect(hugeForFile.status).toBe(413);
    expect((await hugeForFile.json()).error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringMatching(
        /"test.checksum" also takes its data as an uploaded file: send multipart/,
      ),
      details: { limit_bytes: 20_000 },
    });
    const priority = await post('/v1/jobs/test.sleep', { input: { ms: 1 }, priority: 11 });
    expect(priority.status).toBe(422);
  });

  it('streams a multipart file into the blob store and the engine reads it', async () => {
    const bytes = Buffer.from('89504e470d0a1a0a0000000d494844520000000100000001080600000000', 'hex');
    const form = new FormData();
    form.set('file', new Blob([bytes], { type: 'application/octet-stream' }), 'pixel.png');
    form.set('input', JSON.stringify({ note: 'hi' }));
    const res = await api('/v1/jobs/test.checksum', {
      method: 'POST',
      body: form,
      headers: { prefer: 'wait=10' },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.input.file).toMatchObject({
      media_type: 'image/png',
      size: bytes.length,
      filename: 'pixel.png',
    });
    expect(body.output).toEqual({ sha256: body.input.file.sha256, size: bytes.length });

    const reuse = await post(
      '/v1/jobs/test.checksum',
      { input: { file: { blob_id: body.input.file.blob_id } } },
      { prefer: 'wait=10' },
    );
    expect((await reuse.json()).output.sha256).toBe(body.input.file.sha256);
    const stolen = await post(
      '/v1/jobs/test.checksum',
      { input: { file: { blob_id: body.input.file.blob_id } } },
      {},
      keys.other,
    );
    expect(stolen.status).toBe(404);
    expect((await stolen.json()).error.code).toBe('BLOB_NOT_FOUND');
  });

  it('sniffs the real type of an upload and refuses what the job type does not read', async () => {
    const form = new FormData();
    form.set(
      'file',
      new Blob([Buffer.from('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n')], { type: 'image/png' }),
      'fake.png',
    );
    const res = await api('/v1/jobs/test.checksum', { method: 'POST', body: form });
    expect(res.status).toBe(415);
    expect((await res.json()).error.details).toMatchObject({
      media_type: 'application/pdf',
      declared_type: 'image/png',
    });
    const big = new FormData();
    big.set('file', new Blob([Buffer.alloc(200_000, 65)]), 'big.txt');
    const tooBig = await api('/v1/jobs/test.checksum', { method: 'POST', body: big });
    expect(tooBig.status).toBe(413);
  });

  it('hides one tenant’s jobs from another', async () => {
    const { id: jobId } = await (await post('/v1/jobs/test.sleep', { input: { ms: 1 } })).json();
    const res = await api(`/v1/jobs/${jobId}`, { key: keys.other });
    expect(res.status).toBe(404);
    expect((await api(`/v1/jobs/${jobId}/cancel`, { method: 'POST', key: keys.other })).status).toBe(404);
  });

  it('cancels a running job and refuses to cancel twice', async () => {
    const { id: jobId } = await (await post('/v1/jobs/test.spin', { input: { ms: 60_000 } })).json();
    await until(
      () => job(jobId),
      (j) => j.status === 'running',
    );
    const res = await api(`/v1/jobs/${jobId}/cancel`, { method: 'POST' });
    expect(res.status).toBe(202);
    expect((await res.json()).status).toBe('canceled');
    const again = await api(`/v1/jobs/${jobId}/cancel`, { method: 'POST' });
    expect(again.status).toBe(409);
  });

  it('stops a canceled job whose worker missed the cancel event within 2 s of its reconnect', async () => {
    const { id: jobId } = await (await post('/v1/jobs/test.sleep', { input: { ms: 30_000 } })).json();
    await until(
      () => job(jobId),
      (j) => j.status === 'running',
    );
    const pidsBefore = worker.enginePids();
    // Every connection of the worker goes (the control events' subscriber, and the job state's reads
    // every second too), and stays gone while the job is canceled: the cancel event reaches no one.
    workerLink.cut();
    try {
      expect((await api(`/v1/jobs/${jobId}/cancel`, { method: 'POST' })).status).toBe(202);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      // Past a state check's interval, the engine still runs: nothing but the link could have stopped it.
      expect(pidsBefore.filter(isAlive)).toEqual(pidsBefore);
    } finally {
      workerLink.restore();
    }
    const restoredAt = Date.now();
    await until(
      async () => pidsBefore.filter(isAlive).length,
      (alive) => alive < pidsBefore.length,
      5_000,
    );
    expect(Date.now() - restoredAt).toBeLessThan(2_000);
    expect(await job(jobId)).toMatchObject({ status: 'canceled', output: null });
    // And the worker is whole again: its announcement, expired while it was away, is back.
    await until(
      async () => (await (await api('/v1/workers', { key: keys.admin })).json()).data,
      (workers: { id: string }[]) => workers.some((w) => w.id === worker.id),
    );
  });

  it('streams events over SSE, current state first, and resumes after Last-Event-ID', async () => {
    const { id: jobId } = await (await post('/v1/jobs/test.sleep', { input: { ms: 400 } })).json();
    const read = async (headers: Record<string, string> = {}) => {
      const res = await api(`/v1/jobs/${jobId}/events`, { headers });
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const text = await res.text();
      return text
        .split('\n\n')
        .filter((block) => block.startsWith('id:'))
        .map((block) => {
          const [idLine, eventLine] = block.split('\n');
          return { id: idLine?.slice(4) ?? '', event: eventLine?.slice(7) ?? '' };
        });
    };
    const events = await read();
    expect(events[0]?.event).toBe('status');
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['progress', 'output', 'completed']));
    expect(events.at(-1)?.event).toBe('completed');
    const progress = events.find((e) => e.event === 'progress');
    const resumed = await read({ 'last-event-id': progress?.id ?? '' });
    expect((resumed[0]?.id ?? '') > (progress?.id ?? '')).toBe(true);
    expect(resumed.at(-1)?.event).toBe('completed');
    // Every event, replayed: the `running` status names the worker as a tenant may see it.
    const replay = await (
      await api(`/v1/jobs/${jobId}/events`, { headers: { 'last-event-id': '0-0' } })
    ).text();
    expect(replay).toContain(`"worker":"${publicWorkerId(worker.id)}"`);
    expect(replay).not.toContain(worker.id);
  });

  it('answers a job’s recorded history, oldest first, to its own tenant only', async () => {
    const { id: jobId } = await (await post('/v1/jobs/test.sleep', { input: { ms: 20 } })).json();
    const history = await until(
      async () => (await (await api(`/v1/jobs/${jobId}/history`)).json()) as { data: { status: string }[] },
      (h) => h.data.at(-1)?.status === 'succeeded',
    );
    expect(history.data.map((entry) => entry.status)).toEqual(['queued', 'running', 'succeeded']);
    expect(history.data[1]).toMatchObject({
      status: 'running',
      data: { attempt: 1, worker: publicWorkerId(worker.id) },
    });
    const platformView = await (await api(`/v1/jobs/${jobId}/history`, { key: keys.admin })).json();
    expect(platformView.data[1].data.worker).toBe(worker.id);
    const foreign = await api(`/v1/jobs/${jobId}/history`, { key: keys.other });
    expect([foreign.status, (await foreign.json()).error.code]).toEqual([404, 'JOB_NOT_FOUND']);
  });

  it('lists jobs from Postgres with filters and a cursor', async () => {
    for (let i = 0; i < 3; i += 1)
      await post('/v1/jobs/test.sleep', { input: { ms: 1 } }, { prefer: 'wait=5' });
    const page = await until(
      async () => (await api('/v1/jobs?type=test.sleep&status=succeeded&limit=2')).json(),
      (body) => body.data.length === 2,
    );
    expect(page.next_cursor).toEqual(expect.any(String));
    const next = await (
      await api(`/v1/jobs?type=test.sleep&status=succeeded&limit=2&cursor=${page.next_cursor}`)
    ).json();
    expect(next.data.length).toBeGreaterThan(0);
    expect(next.data[0].id).not.toBe(page.data[1].id);
    const other = await (await api('/v1/jobs', { key: keys.other })).json();
    expect(other.data.every((j: { type: string }) => j.type === 'test.sleep')).toBe(true);
  });

  it('shows live workers, and lets only platform keys pause and resume a queue', async () => {
    const workers = await (await api('/v1/workers', { key: keys.admin })).json();
    expect(workers.data).toContainEqual(
      expect.objectContaining({ id: worker.id, queue: 'runtime-test', state: 'ready', pid: process.pid }),
    );
    // A tenant's key sees the worker but not where it runs: no host, no pid, an id that names neither.
    const seen = (await (await api('/v1/workers')).json()).data.find(
      (w: { queue: string }) => w.queue === 'runtime-test',
    );
    expect(seen).toMatchObject({ state: 'ready', id: publicWorkerId(worker.id) });
    expect(seen).not.toHaveProperty('host');
    expect(seen).not.toHaveProperty('pid');
    expect((await api('/v1/queues/runtime-test/pause', { method: 'POST' })).status).toBe(403);
    expect((await api('/v1/queues/runtime-test/pause', { method: 'POST', key: keys.admin })).status).toBe(
      200,
    );
    await until(
      async () => worker.state().state,
      (s) => s === 'paused',
    );
    const { id: jobId } = await (await post('/v1/jobs/test.sleep', { input: { ms: 1 } })).json();
    const waiting = await until(
      () => job(jobId),
      (j) => j.status_reason !== null,
    );
    expect(waiting).toMatchObject({ status: 'queued', status_reason: 'queue "runtime-test" is paused' });
    expect((await api('/v1/queues/runtime-test/resume', { method: 'POST', key: keys.admin })).status).toBe(
      200,
    );
    await until(
      () => job(jobId),
      (j) => j.status === 'succeeded',
    );
  });

  it('publishes OpenAPI from the catalogue, a reference page, health and metrics', async () => {
    const spec = await (await get(`${gateway.url}/openapi.json`)).json();
    expect(spec.paths['/v1/jobs/test.sleep'].post.requestBody.content['application/json']).toBeDefined();
    expect(
      spec.paths['/v1/jobs/test.checksum'].post.requestBody.content['multipart/form-data'],
    ).toBeDefined();
    expect((await get(`${gateway.url}/docs`)).status).toBe(200);
    expect((await get(`${gateway.url}/docs/assets/swagger-ui-bundle.js`)).status).toBe(200);
    expect(await (await get(`${gateway.url}/readyz`)).json()).toMatchObject({ status: 'ready' });
    // Metrics: on their own listener without a key; on the API's only for a platform key.
    expect(await (await get(`${gateway.metricsUrl}/metrics`)).text()).toContain(
      'gantry_http_request_duration_seconds',
    );
    expect((await get(`${gateway.url}/metrics`)).status).toBe(401);
    expect((await api('/metrics')).status).toBe(403);
    expect((await api('/metrics', { key: keys.admin })).status).toBe(200);
  });
});
