import { readdir } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { redisKeys } from '@gantry/job-state';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicPath } from './http/authenticate.js';
import type { RunningGateway } from './start-gateway.js';
import { type GatewayHarness, startGatewayHarness } from './testing/gateway-harness.js';

// A real gateway (Redis, PostgreSQL, worker, disk) under requests a hostile or careless client sends.
let harness: GatewayHarness;
let prefix: string;
let redis: Redis;
let blobDir: string;
let gateway: RunningGateway;
let key = '';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = Omit<Response, 'json'> & { json(): Promise<any> };
const api = (route: string, init: RequestInit = {}): Promise<Reply> =>
  fetch(`${gateway.url}${route}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, ...(init.headers as Record<string, string>) },
  });
/** A test.sleep job of `ms` posted as JSON with the given Prefer header. */
const sleepJob = (ms: number, prefer: string) =>
  api('/v1/jobs/test.sleep', {
    method: 'POST',
    headers: { 'content-type': 'application/json', prefer },
    body: JSON.stringify({ input: { ms } }),
  });

beforeAll(async () => {
  harness = await startGatewayHarness({
    name: 'hostile',
    env: { GATEWAY_FILE_LIMIT_BYTES: '100000', GATEWAY_MAX_WAIT_S: '2' },
    worker: {},
  });
  ({ prefix, redis, blobDir, gateway } = harness);
  key = await harness.key({ tenant: 'acme', name: 't', scopes: ['jobs'] });
}, 60_000);

afterAll(() => harness?.close());

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every route of the running app, read from its Express router. */
function declaredRoutes(): { method: string; path: string }[] {
  const { stack } = gateway.app.router as unknown as { stack: Layer[] };
  return stack.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods).map((method) => ({
          method: method.toUpperCase(),
          path: (layer.route as { path: string }).path,
        }))
      : [],
  );
}

/** The spellings of one path a router or proxy might treat as the same route. */
function spellings(route: string): string[] {
  const [, first = '', ...rest] = route.split('/');
  const tail = rest.length > 0 ? `/${rest.join('/')}` : '';
  return [
    route.toUpperCase(),
    `/${route}`,
    `/${first}/.${tail || '/'}`,
    `${route}/`,
    `/${first}%2F${rest.join('%2F')}`,
    `/${first}/%2e${tail}`,
    `/x/..${route}`,
    `/%${first.charCodeAt(0).toString(16)}${first.slice(1)}${tail}`,
    `${route}%2F`,
  ];
}

/** A request with the path exactly as written: fetch would normalise `.`, `..` and more on the way out. */
function raw(method: string, rawPath: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = httpRequest(`${gateway.url}/`, { method, path: rawPath, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

const noLeak = (text: string) => {
  expect(text).not.toContain(blobDir);
  expect(text).not.toMatch(/node_modules|\/work\/|\n\s+at /);
};

describe('routes and auth agree', () => {
  it('asks for a key on every declared route but the public ones, however the path is spelled', async () => {
    const routes = declaredRoutes();
    expect(routes.length).toBeGreaterThan(15);
    const publicRoutes = routes.filter((route) => isPublicPath(route.path)).map((route) => route.path);
    expect(publicRoutes.sort()).toEqual(['/console', '/docs', '/healthz', '/openapi.json', '/readyz']);
    for (const { method, path: template } of routes) {
      const concrete = template.replaceAll(/:(\w+)/g, 'x1');
      const attempts = isPublicPath(template) ? spellings(concrete) : [concrete, ...spellings(concrete)];
      for (const spelled of attempts) {
        const { status, text } = await raw(method, spelled);
        expect({ method, spelled, status }).toEqual({ method, spelled, status: 401 });
        expect(JSON.parse(text).error.code).toBe('UNAUTHORIZED');
      }
    }
    for (const open of publicRoutes) expect((await fetch(`${gateway.url}${open}`)).status).toBeLessThan(400);
  });

  it('documents every declared API route in the OpenAPI document', async () => {
    const spec = (await (await fetch(`${gateway.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const apiRoutes = declaredRoutes().filter(
      (route) =>
        (route.path.startsWith('/v1/') && route.path !== '/v1/jobs/:type') || route.path === '/metrics',
    );
    for (const { method, path: template } of apiRoutes) {
      const documented = template.replaceAll(/:(\w+)/g, '{$1}');
      expect(spec.paths[documented]?.[method.toLowerCase()], `${method} ${documented}`).toBeDefined();
    }
  });

  it('keeps platform routes closed to a jobs key under any spelling', async () => {
    for (const spelled of ['/v1/queues/x1/pause', ...spellings('/v1/queues/x1/pause')]) {
      const { status } = await raw('POST', spelled, { authorization: `Bearer ${key}` });
      expect([403, 404], spelled).toContain(status);
    }
  });
});

describe('multipart priority is validated like JSON', () => {
  it('refuses 0, 1.5, 11 and "" with the same 422 as JSON, and keeps no upload', async () => {
    for (const priority of ['0', '1.5', '11', '']) {
      const form = new FormData();
      form.set('file', new Blob(['hello'], { type: 'text/plain' }), 'a.txt');
      form.set('priority', priority);
      const multipart = await api('/v1/jobs/test.checksum', { method: 'POST', body: form });
      const json = await api('/v1/jobs/test.checksum', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"input":{"file":{"blob_id":"blob_x"}},"priority":${priority === '' ? '""' : priority}}`,
      });
      expect([multipart.status, json.status], priority).toEqual([422, 422]);
      const [fromForm, fromJson] = [(await multipart.json()).error, (await json.json()).error];
      expect(fromForm.code).toBe('VALIDATION_FAILED');
      expect(fromForm.details.issues).toEqual(fromJson.details.issues);
    }
    expect(await readdir(blobDir, { recursive: true })).toEqual(
      expect.not.arrayContaining([expect.stringMatching(/blob_/)]),
    );
    const form = new FormData();
    form.set('file', new Blob(['hello'], { type: 'text/plain' }), 'a.txt');
    form.set('priority', '3');
    const accepted = await api('/v1/jobs/test.checksum', { method: 'POST', body: form });
    expect(accepted.status).toBe(202);
    expect((await accepted.json()).priority).toBe(3);
  });
});

describe('SSE resume', () => {
  /** Reads a whole event stream: it resolves only once the gateway ends the stream. */
  const readAll = async (jobId: string, lastEventId?: string) => {
    const res = await api(`/v1/jobs/${jobId}/events`, {
      headers: lastEventId ? { 'last-event-id': lastEventId } : {},
      signal: AbortSignal.timeout(5_000),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const events = [...text.matchAll(/^id: (.+)\nevent: (\w+)/gm)].map((m) => ({ id: m[1], name: m[2] }));
    return events;
  };

  it('ends at once with the current state when resuming at or after the end, or after the stream expired', async () => {
    const done = await sleepJob(5, 'wait=2');
    expect(done.status).toBe(200);
    const jobId = (await done.json()).id as string;
    const full = await readAll(jobId);
    const last = full.at(-1);
    expect(last?.name).toBe('completed');
    // A browser EventSource reconnects after `completed` with exactly that id.
    const atEnd = await readAll(jobId, last?.id);
    expect(atEnd.map((e) => e.name)).toEqual(['status', 'completed']);
    // The stream is still in Redis (the same id), or it left once the job was recorded (ADR 6) and the
    // job's state comes with the id just after the client's.
    const [ms = 0, seq = 0] = (last?.id ?? '0-0').split('-').map(Number);
    expect([last?.id, `${ms}-${seq + 1}`]).toContain(atEnd[0]?.id);
    expect((await readAll(jobId, '99999999999999-0')).map((e) => e.name)).toEqual(['status', 'completed']);
    // Ids past Redis's own (64-bit parts): started over with the current state, not an empty 200 stream.
    for (const past of [
      '99999999999999999999-1',
      '1-18446744073709551616',
      '18446744073709551615-18446744073709551615',
    ])
      expect(
        (await readAll(jobId, past)).map((e) => e.name),
        past,
      ).toEqual(['status', 'completed']);
    expect((await readAll(jobId, 'not-an-id')).map((e) => e.name)).toEqual(['status', 'completed']);
    // The job's event stream expired (Redis retention): the job is still read, and the stream ends.
    await redis.del(redisKeys(prefix).jobEvents(jobId));
    expect((await readAll(jobId, last?.id)).map((e) => e.name)).toEqual(['status', 'completed']);
    expect((await readAll(jobId)).map((e) => e.name)).toEqual(['status', 'completed']);
  });
});

describe('errors and Prefer', () => {
  it('puts a request id in every error body and header, keeping a sane X-Request-Id only', async () => {
    const mine = await api('/v1/jobs/nope', { headers: { 'x-request-id': 'req-12345678' } });
    expect(mine.headers.get('x-request-id')).toBe('req-12345678');
    const body = await mine.json();
    expect(body).toMatchObject({ error: { code: 'JOB_NOT_FOUND' }, request_id: 'req-12345678' });
    for (const insane of ['../../etc/passwd', 'x'.repeat(200), 'a b']) {
      const res = await api('/v1/jobs/nope', { headers: { 'x-request-id': insane } });
      expect(res.headers.get('x-request-id')).toMatch(/^[\da-f]{32}$/);
      expect((await res.json()).request_id).toBe(res.headers.get('x-request-id'));
    }
    const bodies = await Promise.all([
      api('/v1/jobs/test.checksum', {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=zz' },
        body: '--zz\r\nContent-Disposition: form-data; name="file"; filename="../../etc/passwd"\r\n\r\nabc',
      }),
      api('/docs/assets/..%2F..%2Fpackage.json'),
      fetch(`${gateway.url}/docs/assets/nope.js`),
      api('/v1/jobs/%E0%A4%A'),
    ]);
    for (const res of bodies) {
      expect(res.status).toBeLessThan(500);
      const text = await res.text();
      noLeak(text);
      expect(JSON.parse(text).request_id).toBe(res.headers.get('x-request-id'));
    }
  });

  it('waits the default maximum on a bare Prefer: wait', async () => {
    const quick = await sleepJob(5, 'wait');
    expect(quick.status).toBe(200);
    expect(quick.headers.get('preference-applied')).toBe('wait=2');
    const started = Date.now();
    const slow = await sleepJob(8_000, 'respond-async, wait');
    expect(slow.status).toBe(202);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    await api(`/v1/jobs/${(await slow.json()).id}/cancel`, { method: 'POST' });
  });
});

describe('values PostgreSQL cannot store', () => {
  /** The request's answer, as a 400 BAD_REQUEST naming the value, never a 500. */
  const refused = async (reply: Promise<Reply>) => {
    const res = await reply;
    const body = await res.json();
    expect({ status: res.status, code: body.error?.code }, JSON.stringify(body)).toEqual({
      status: 400,
      code: 'BAD_REQUEST',
    });
    return body.error.message as string;
  };
  const post = (route: string, body: unknown, as = key) =>
    api(route, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${as}` },
      body: JSON.stringify(body),
    });
  const cursor = (createdAt: string, id: string) =>
    Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');

  it('refuses a NUL character or an out-of-range date with 400 BAD_REQUEST, wherever it is sent', async () => {
    expect(await refused(api('/v1/jobs?type=%00'))).toMatch(/NUL/);
    expect(await refused(api(`/v1/jobs?cursor=${cursor('2024-01-01T00:00:00Z', 'a\u0000')}`))).toMatch(/NUL/);
    expect(await refused(api(`/v1/jobs?cursor=${cursor('-271821-04-20T00:00:00Z', 'a')}`))).toMatch(
      /date-time/,
    );
    const admin = await harness.key({ tenant: 'acme', name: 'admin', scopes: ['jobs', 'admin'] });
    await refused(post('/v1/keys', { name: 'a\u0000b' }, admin));
    await refused(
      post('/v1/schedules', {
        name: 'n\u0000',
        every: 3_600,
        target: { type: 'test.sleep', input: { ms: 1 } },
      }),
    );
    const form = new FormData();
    form.set('file', new Blob(['hello'], { type: 'text/plain' }), 'a.txt');
    const blob = (await (await api('/v1/blobs', { method: 'POST', body: form })).json()) as {
      blob_id: string;
    };
    const item = (note: string) => ({ file: { blob_id: blob.blob_id }, note });
    await refused(post('/v1/batches', { type: 'test.checksum', items: [item('ok'), item('a\u0000b')] }));
    await refused(post('/v1/batches', { type: 'test.checksum', items: [item('\ud800')] }));
    // The same batch without them is taken.
    expect((await post('/v1/batches', { type: 'test.checksum', items: [item('ok')] })).status).toBe(202);
  });
});

describe('blob downloads', () => {
  it('serve the sniffed media type, whatever extension the uploader gave the file', async () => {
    for (const [name, content, type] of [
      ['a.png', 'hello', 'text/plain'],
      ['page.html', 'plain words', 'text/plain'],
      ['x.txt', '%PDF-1.4\n', 'application/pdf'],
    ] as const) {
      const form = new FormData();
      form.set('file', new Blob([content]), name);
      const stored = await (await api('/v1/blobs', { method: 'POST', body: form })).json();
      expect(stored.media_type, name).toBe(type);
      const res = await api(`/v1/blobs/${stored.blob_id}`);
      expect(res.headers.get('content-type'), name).toMatch(new RegExp(`^${type}(;|$)`));
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename=${name}`);
      expect(await res.text()).toBe(content);
    }
  });
});

describe('Idempotency-Key', () => {
  /** A test.sleep job, or an ad-hoc pipeline run, with these Idempotency-Key header lines, as sent. */
  const submit = (route: string, keys: string[]) =>
    new Promise<{ status: number; body: { error?: { code: string }; id?: string } }>((resolve, reject) => {
      const body =
        route === '/v1/jobs/test.sleep'
          ? { input: { ms: 1 } }
          : { pipeline: { steps: [{ id: 'a', type: 'test.sleep', input: { ms: 1 } }] }, input: {} };
      const req = httpRequest(
        `${gateway.url}${route}`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'application/json',
            ...(keys.length > 0 ? { 'idempotency-key': keys } : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });

  it('refuses an empty key, one over the 255 characters the API documents, or two keys, before queueing anything', async () => {
    for (const route of ['/v1/jobs/test.sleep', '/v1/pipelines']) {
      for (const keys of [[''], ['k'.repeat(256)], ['a', 'b']]) {
        const { status, body } = await submit(route, keys);
        expect({ route, keys: keys.map((k) => k.length), status, code: body.error?.code }).toEqual({
          route,
          keys: keys.map((k) => k.length),
          status: 400,
          code: 'BAD_REQUEST',
        });
      }
      const longest = [`${route}-${Date.now()}`.padEnd(255, 'k')];
      const first = await submit(route, longest);
      expect(first.status).toBe(202);
      expect((await submit(route, longest)).body.id).toBe(first.body.id);
    }
  });
});

describe('a JSON body over the limit', () => {
  /** Sends only the head of a request declaring `length` bytes, and reads what comes back within 5 s. */
  const headOnly = (route: string, length: number, expect100: boolean) =>
    new Promise<string>((resolve) => {
      const { port } = new URL(gateway.url);
      const socket = connect(Number(port), '127.0.0.1');
      let answer = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('error', () => undefined);
      const timer = setTimeout(() => socket.destroy(), 5_000);
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(answer);
      });
      socket.write(
        `POST ${route} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${length}\r\n` +
          `${expect100 ? 'Expect: 100-continue\r\n' : ''}\r\n{"input":`,
      );
    });

  it('is refused with 413 from its Content-Length, before the body is sent, and the connection closes', async () => {
    for (const route of ['/v1/jobs/test.sleep', '/v1/batches', '/v1/schedules', '/v1/pipelines']) {
      for (const expect100 of [false, true]) {
        const started = Date.now();
        const answer = await headOnly(route, 100_000_000, expect100);
        const what = `${route}${expect100 ? ' (Expect: 100-continue)' : ''}`;
        expect(answer, what).toMatch(/HTTP\/1\.1 413 Payload Too Large\r\n/);
        expect(answer, what).toMatch(/\r\nConnection: close\r\n/);
        expect(answer, what).toContain('"code":"PAYLOAD_TOO_LARGE"');
        expect(Date.now() - started, what).toBeLessThan(4_000);
      }
    }
  });
});
