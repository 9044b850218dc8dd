import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGatewayHarness } from '../testing/gateway-harness.js';
import { until } from '../testing/until.js';

// A gateway whose blob sweeper runs every second with JOB_RETENTION_S at 2 s, the runtime's test worker,
// real Redis (BullMQ job schedulers, the sweeper's lock), real PostgreSQL (jobs, schedules) and the
// filesystem blob store: what retention does to a blob that a schedule names.
let harness: GatewayHarness;
let key = '';
const retentionMs = 2_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = { status: number; body: any };
const call = async (method: string, route: string, body?: unknown): Promise<Reply> => {
  const response = await fetch(`${harness.gateway.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const json = response.headers.get('content-type')?.includes('json') && text !== '';
  return { status: response.status, body: json ? JSON.parse(text) : text };
};
const upload = async (name: string): Promise<string> => {
  const form = new FormData();
  form.set('file', new Blob([`rows of ${name}\n`]), `${name}.csv`);
  const response = await fetch(`${harness.gateway.url}/v1/blobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { blob_id: string }).blob_id;
};
const stored = async (blobId: string) => (await call('GET', `/v1/blobs/${blobId}`)).status === 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  harness = await startGatewayHarness({
    name: 'schedret',
    env: { JOB_RETENTION_S: String(retentionMs / 1_000), BLOB_SWEEP_INTERVAL_S: '1' },
    worker: { heartbeatMs: 300 },
  });
  key = await harness.key({ tenant: 'acme', name: 'test', scopes: ['jobs'] });
}, 60_000);

afterAll(() => harness?.close());

describe('blob retention and schedules (real sweeper, Redis, PostgreSQL, blob store)', () => {
  it('keeps a blob a live schedule names, paused or not, past retention; deleting the schedule releases it', async () => {
    const scheduled = await upload('scheduled');
    const unnamed = await upload('unnamed');
    const created = await call('POST', '/v1/schedules', {
      every: 3_600,
      target: { type: 'test.checksum', input: { file: { blob_id: scheduled } } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    // The first tick is due at once; its job names the blob too, and ends.
    const ticked = await until(
      async () => (await call('GET', `/v1/schedules/${id}`)).body,
      (schedule) => typeof schedule.last_job_id === 'string',
    );
    const job = await until(
      async () => (await call('GET', `/v1/jobs/${ticked.last_job_id as string}`)).body,
      (body) => body.status === 'succeeded',
    );
    expect((await call('POST', `/v1/schedules/${id}/pause`)).status).toBe(200);

    // The sweeper works: the blob nothing names goes once it is past retention.
    await until(
      () => stored(unnamed),
      (kept) => !kept,
      15_000,
    );
    // Past retention for the tick's job too, and two sweeps after that: only the schedule keeps the blob.
    const jobEnded = Date.parse(job.completed_at as string);
    await sleep(Math.max(0, jobEnded + retentionMs + 2_500 - Date.now()));
    expect(await stored(scheduled)).toBe(true);

    expect((await call('DELETE', `/v1/schedules/${id}`)).status).toBe(204);
    await until(
      () => stored(scheduled),
      (kept) => !kept,
      15_000,
    );
  }, 60_000);
});
