import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayClient } from '../harness/gateway-client.js';
import type { GatewayProcess } from '../harness/gateway-process.js';
import { Platform } from '../harness/platform.js';
import { readJobEvents } from '../harness/read-job-events.js';
import { waitUntil } from '../harness/wait-until.js';

// Gateways are stateless replicas: the job lives in Redis from the 202 on, and Postgres is fed
// from a Redis stream by whichever gateway's recorder is up. Real gateways from build output, a
// test worker from sources, a Redis of this file's own (it pauses it) and the shared Postgres under
// this file's schema.
const platform = await Platform.start({ label: 'gateway-failures', redis: 'own' });
let a: GatewayProcess;
let b: GatewayProcess;
let onA: GatewayClient;
let onB: GatewayClient;
let workerId: string;

platform.printLogsOnFailure();

beforeAll(async () => {
  const worker = await platform.startWorker('test');
  let key: string;
  [a, b, key] = await Promise.all([
    platform.startGateway('gateway-a'),
    platform.startGateway('gateway-b'),
    platform.createApiKey(),
  ]);
  onA = platform.client(a, key);
  onB = platform.client(b, key);
  workerId = (await onA.worker(worker.pid, 'ready')).id;
}, 60_000);

afterAll(() => platform.cleanup(), 60_000);

type Row = { id: string; status: string; attempt: number; output: unknown };
const rows = (ids: string[]) =>
  platform.query<Row>('SELECT id, status, attempt, output FROM jobs WHERE id = ANY($1) ORDER BY id', [ids]);

describe('gateway replicas and gateway failures', () => {
  it('serves a job accepted by one replica at once from the other, and streams its events there', async () => {
    const accepted = await onA.accept('test.sleep', { ms: 600 });
    // No wait, no retry: the very next request, to the replica that did not accept it.
    expect(await onB.job(accepted.id)).toMatchObject({
      id: accepted.id,
      type: 'test.sleep',
      input: { ms: 600 },
    });

    const res = await onB.fetch(`/v1/jobs/${accepted.id}/events`);
    expect(res.status).toBe(200);
    const events = await readJobEvents(res);
    const names = events.map((event) => event.event);
    expect(names[0]).toBe('status');
    expect(names).toEqual(expect.arrayContaining(['progress', 'output']));
    expect(names.at(-1)).toBe('completed');
    expect(events.find((event) => event.event === 'output')?.data).toMatchObject({
      output: { slept_ms: 600 },
    });
    expect(events.at(-1)?.data).toEqual({ status: 'succeeded' });
  });

  it('loses nothing when the gateway is SIGKILLed right after its 202', async () => {
    await b.stop();
    // Redis holds every write for a while: a gateway that answered before its write was applied (and,
    // with appendfsync always, on disk) would answer within the pause, and then lose the job below.
    const pauseMs = 1_500;
    const redis = new Redis(platform.redisUrl);
    const sentAt = Date.now();
    try {
      await redis.call('CLIENT', 'PAUSE', String(pauseMs), 'WRITE');
    } finally {
      redis.disconnect();
    }
    const res = await onA.fetch('/v1/jobs/test.sleep', {
      method: 'POST',
      body: JSON.stringify({ input: { ms: 1_000 } }),
      headers: { 'content-type': 'application/json' },
    });
    // fetch resolves on the status line and headers: the gateway dies before the client reads the body.
    await a.kill();
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(pauseMs - 100);
    expect(res.status).toBe(202);
    const id = res.headers.get('location')?.split('/').pop() ?? '';

    // With no gateway at all, the worker still runs it: the job was in Redis before the 202.
    const finished = await waitUntil(
      () => platform.jobState(id),
      (job) => job?.status === 'succeeded',
      {
        what: `job ${id} to succeed in Redis`,
      },
    );
    expect(finished).toMatchObject({ worker: workerId, output: { slept_ms: 1_000 } });

    await a.start();
    expect(await onA.job(id)).toMatchObject({ status: 'succeeded', attempt: 1, output: { slept_ms: 1_000 } });
    const listed = await waitUntil(
      async () => (await onA.list('type=test.sleep')).find((job) => job.id === id),
      (job) => job?.status === 'succeeded',
      { what: `job ${id} as succeeded in GET /v1/jobs` },
    );
    expect(listed).toMatchObject({ attempt: 1, worker: workerId, output: { slept_ms: 1_000 } });
  });

  it('records jobs that finished while every gateway was down once one is back', async () => {
    const ids = await Promise.all(
      [1, 2, 3].map(async () => (await onA.accept('test.sleep', { ms: 1_000 })).id),
    );
    await a.stop();

    const finished = await waitUntil(
      () => Promise.all(ids.map((id) => platform.jobState(id))),
      (jobs) => jobs.every((job) => job?.status === 'succeeded'),
      { what: 'the jobs to succeed in Redis' },
    );
    expect(finished.map((job) => job?.worker)).toEqual([workerId, workerId, workerId]);
    // Nobody was recording: Postgres does not know yet.
    expect((await rows(ids)).filter((row) => row.status === 'succeeded')).toEqual([]);

    await b.start();
    const recorded = await waitUntil(
      () => rows(ids),
      (r) => r.length === 3 && r.every((row) => row.status === 'succeeded'),
      {
        what: 'the backlog to reach Postgres',
      },
    );
    expect(recorded).toEqual(
      [...ids].sort().map((id) => ({
        id,
        status: 'succeeded',
        attempt: 1,
        output: { slept_ms: 1_000, pid: expect.any(Number) },
      })),
    );
    const history = await platform.query<{ job_id: string; statuses: string[] }>(
      'SELECT job_id, array_agg(status ORDER BY seq) AS statuses FROM job_events WHERE job_id = ANY($1) GROUP BY job_id',
      [ids],
    );
    expect(history.map((h) => h.statuses)).toEqual([
      ['queued', 'running', 'succeeded'],
      ['queued', 'running', 'succeeded'],
      ['queued', 'running', 'succeeded'],
    ]);
    expect((await onB.list('status=succeeded&limit=100')).map((job) => job.id)).toEqual(
      expect.arrayContaining(ids),
    );
  });
});
