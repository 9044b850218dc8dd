import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from './start-gateway.js';
import { type GatewayHarness, startGatewayHarness } from './testing/gateway-harness.js';
import { until } from './testing/until.js';

// Two gateway replicas (each with its recorder thread and deadline sweeper) and a worker on real
// Redis (this file's prefix) and Postgres (this file's schema): what a finished job leaves in Redis,
// and how it still answers once Redis has let it go.
let harness: GatewayHarness;
let prefix: string;
let redis: Redis;
let gateways: readonly RunningGateway[] = [];
let key = '';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = Omit<Response, 'json'> & { json(): Promise<any> };
const api = (gateway: RunningGateway, route: string, init: RequestInit = {}): Promise<Reply> =>
  fetch(`${gateway.url}${route}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, ...(init.headers as Record<string, string>) },
  });
const post = (gateway: RunningGateway, type: string, body: unknown, headers: Record<string, string> = {}) =>
  api(gateway, `/v1/jobs/${type}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });

/** Bytes Redis uses for every key of this file's prefix: job state, records, BullMQ, registry. */
async function prefixBytes(): Promise<{ bytes: number; keys: string[] }> {
  let cursor = '0';
  const keys: string[] = [];
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  const sizes = await Promise.all(keys.map((name) => redis.memory('USAGE', name, 'SAMPLES', 0)));
  return { bytes: sizes.reduce<number>((sum, size) => sum + Number(size ?? 0), 0), keys };
}

const recorded = async (ids: readonly string[]) =>
  Number(
    (
      await harness.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${harness.schema}.jobs WHERE id = ANY($1) AND status = 'succeeded'`,
        [ids],
      )
    ).rows[0]?.n,
  );

/** SSE events of a job as `event` names, read until the stream ends. */
async function sse(gateway: RunningGateway, jobId: string, headers: Record<string, string> = {}) {
  const res = await api(gateway, `/v1/jobs/${jobId}/events`, { headers });
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('id:'))
    .map((block) => {
      const [idLine, eventLine, dataLine] = block.split('\n');
      return {
        id: idLine?.slice(4) ?? '',
        event: eventLine?.slice(7) ?? '',
        data: JSON.parse(dataLine?.slice(6) ?? 'null') as Record<string, unknown>,
      };
    });
}

beforeAll(async () => {
  harness = await startGatewayHarness({
    name: 'gwret',
    // Five hundred jobs as fast as the test sends them: a memory measure, not the rate limiter's.
    env: { GATEWAY_RATE_LIMIT_PER_S: '0' },
    replicas: 2,
    worker: { heartbeatMs: 300 },
  });
  ({ prefix, redis, gateways } = harness);
  key = await harness.key({ tenant: 'acme', name: 'test', scopes: ['jobs'] });
  await until(
    async () =>
      (await (await api(gateways[0] as RunningGateway, '/v1/job-types')).json()) as {
        data: { type: string }[];
      },
    (body) => body.data.some((t) => t.type === 'test.sleep'),
    30_000,
  );
}, 60_000);

afterAll(() => harness?.close());

describe('what a finished job keeps in Redis (two gateway replicas, real Redis, Postgres, worker)', () => {
  const [first, second] = [() => gateways[0] as RunningGateway, () => gateways[1] as RunningGateway];
  const finished: string[] = [];

  it('keeps at most 1 KB of Redis per finished job once it is recorded (500 jobs)', async ({ annotate }) => {
    const submitAll = async (count: number) => {
      const ids: string[] = [];
      // 16 clients at a time, over both replicas; a ~100-byte input like a short text job's.
      for (let i = 0; i < count; i += 16) {
        const replies = await Promise.all(
          Array.from({ length: Math.min(16, count - i) }, (_, j) =>
            post(j % 2 ? second() : first(), 'test.sleep', { input: { ms: 0 } }),
          ),
        );
        for (const reply of replies) {
          expect(reply.status).toBe(202);
          ids.push((await reply.json()).id as string);
        }
      }
      await until(
        () => recorded(ids),
        (n) => n === ids.length,
        60_000,
      );
      // Recorded, then let go in the same pass: wait for the last pass to settle. A pass forgets its
      // finished jobs' keys before it deletes its stream entries, so both are waited for.
      await until(
        async () => ({
          jobKeys: (await prefixBytes()).keys.filter((name) => /:job:/.test(name)).length,
          entries: await redis.xlen(`${prefix}:records`),
        }),
        ({ jobKeys, entries }) => jobKeys === 0 && entries === 0,
        30_000,
      );
      return ids;
    };
    // A warm-up run first, so that what every queue keeps once (BullMQ's keys, the records stream
    // and its group, the worker registry) is in the baseline.
    await submitAll(50);
    const baseline = await prefixBytes();
    const ids = await submitAll(500);
    finished.push(...ids);
    const after = await prefixBytes();
    const perJob = (after.bytes - baseline.bytes) / ids.length;
    expect(await redis.xlen(`${prefix}:records`)).toBe(0);
    await annotate(`${perJob.toFixed(0)} bytes of Redis per finished, recorded job`);
    expect(perJob).toBeLessThanOrEqual(1_024);
  }, 120_000);

  it('still answers GET, SSE (current state, then the end) and a replayed Prefer: wait from any replica', async () => {
    const jobId = finished[0] as string;
    expect(await redis.exists(`${prefix}:job:${jobId}`, `${prefix}:job:${jobId}:events`)).toBe(0);
    for (const gateway of [first(), second()]) {
      const res = await api(gateway, `/v1/jobs/${jobId}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ id: jobId, status: 'succeeded', output: { slept_ms: 0 } });
      const events = await sse(gateway, jobId);
      expect(events.map((event) => event.event)).toEqual(['status', 'completed']);
      expect(events[0]?.data).toMatchObject({ id: jobId, status: 'succeeded' });
      // A client that saw part of the stream before Redis let it go gets the final state and the end.
      const resumed = await sse(gateway, jobId, { 'last-event-id': '1-0' });
      expect(resumed.map((event) => event.event)).toEqual(['status', 'completed']);
      expect(resumed[0]?.id).toBe('1-1');
    }

    // An Idempotency-Key replayed after its job left Redis answers the recorded job.
    const idem = { 'idempotency-key': `k-${Date.now()}`, prefer: 'wait=10' };
    const original = await post(first(), 'test.sleep', { input: { ms: 1 } }, idem);
    expect(original.status).toBe(200);
    const originalId = (await original.json()).id as string;
    await until(
      () => redis.exists(`${prefix}:job:${originalId}`),
      (n) => n === 0,
      30_000,
    );
    const replayed = await post(second(), 'test.sleep', { input: { ms: 1 } }, idem);
    expect(replayed.status).toBe(200);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(await replayed.json()).toMatchObject({ id: originalId, status: 'succeeded' });
  });

  it('ends a job still queued at its start deadline `expired`, JSON and multipart, and never runs it', async () => {
    // No worker serves llm.sentiment or ocr.extract here: only the gateways' sweeper can end these.
    const json = await post(first(), 'llm.sentiment', { input: { text: 'nobody waits' }, expires_in: 1 });
    expect(json.status).toBe(202);
    const form = new FormData();
    const png = Buffer.from('89504e470d0a1a0a0000000d494844520000000100000001080600000000', 'hex');
    form.set('file', new Blob([png]), 'pixel.png');
    form.set('expires_in', '1');
    const multipart = await api(second(), '/v1/jobs/ocr.extract', { method: 'POST', body: form });
    expect(multipart.status).toBe(202);
    for (const accepted of [await json.json(), await multipart.json()]) {
      const jobId = accepted.id as string;
      // The deadline is answered from the 202 on, and read back from PostgreSQL once the job has ended.
      const deadline = new Date(Date.parse(accepted.created_at) + 1_000).toISOString();
      expect(accepted.expires_at).toBe(deadline);
      const ended = await until(
        async () => (await api(second(), `/v1/jobs/${jobId}`)).json(),
        (job) => job.status === 'expired',
        10_000,
      );
      expect(ended).toMatchObject({
        expires_at: deadline,
        started_at: null,
        output: null,
        status_reason: expect.stringContaining('deadline'),
        error: { code: 'JOB_EXPIRED', retryable: false },
      });
      const events = await sse(first(), jobId);
      expect(events.at(-1)).toMatchObject({ event: 'completed', data: { status: 'expired' } });
    }
    const spec = await (await (fetch(`${first().url}/openapi.json`) as Promise<Reply>)).json();
    const body = spec.paths['/v1/jobs/ocr.extract'].post.requestBody.content;
    expect(body['application/json'].schema.properties.expires_in).toMatchObject({ type: 'integer' });
    expect(body['multipart/form-data'].schema.properties.expires_in).toMatchObject({ type: 'integer' });
    expect(JSON.stringify(spec.components.schemas.Job)).toContain('"expired"');
    const bad = await post(first(), 'test.sleep', { input: { ms: 1 }, expires_in: 0 });
    expect(bad.status).toBe(422);
    const badForm = new FormData();
    badForm.set('file', new Blob([png]), 'pixel.png');
    badForm.set('expires_in', 'soon');
    expect((await api(first(), '/v1/jobs/ocr.extract', { method: 'POST', body: badForm })).status).toBe(422);
  });
});
