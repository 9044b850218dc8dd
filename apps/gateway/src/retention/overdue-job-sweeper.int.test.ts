import { JobProducer } from '@gantry/queue-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGatewayHarness } from '../testing/gateway-harness.js';
import { until } from '../testing/until.js';
import { startOverdueJobSweeper } from './overdue-job-sweeper.js';

// A gateway (its recorder writes the rows and the endings) on real Redis and PostgreSQL, with no worker:
// its llm.sentiment jobs stay queued. Their lifetime is one second; the sweeper under test is this file's
// own, called round by round (the gateway's runs once a minute, on the same lock).
const lifetimeSeconds = 1;
const quietLogger = { info: () => undefined, warn: () => undefined };

let harness: GatewayHarness;
let producer: JobProducer;
let key = '';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = Omit<Response, 'json'> & { json(): Promise<any> };
const api = (route: string, init: RequestInit = {}): Promise<Reply> =>
  fetch(`${harness.gateway.url}${route}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, ...(init.headers as Record<string, string>) },
  });

/** A queued llm.sentiment job, once its row is in PostgreSQL and its lifetime has passed. */
async function overdueJob(): Promise<string> {
  const reply = await api('/v1/jobs/llm.sentiment', {
    method: 'POST',
    body: JSON.stringify({ input: { text: 'nobody serves this queue' } }),
    headers: { 'content-type': 'application/json' },
  });
  expect(reply.status).toBe(202);
  const { id } = (await reply.json()) as { id: string };
  await until(
    async () => (await harness.pool.query('SELECT 1 FROM jobs WHERE id = $1', [id])).rowCount,
    (rows) => rows === 1,
  );
  await new Promise((resolve) => setTimeout(resolve, lifetimeSeconds * 1_000 + 50));
  return id;
}

/** One round of a sweeper with this lifetime, stopped after it. */
async function sweepOnce(maxLifetimeSeconds: number) {
  const sweeper = startOverdueJobSweeper({
    pool: harness.pool,
    redis: harness.redis,
    producer,
    prefix: harness.prefix,
    maxLifetimeSeconds,
    intervalMs: 3_600_000,
    logger: quietLogger,
  });
  try {
    return await sweeper.sweep();
  } finally {
    await sweeper.stop();
  }
}

/** The job as GET answers it once it has ended (from its hash, or from its row once recorded). */
const recordedEnd = (id: string) =>
  until(
    async () => (await api(`/v1/jobs/${id}`)).json(),
    (job) => job.status !== 'queued',
  );

/** The statuses PostgreSQL's history holds once the ending is recorded: GET may answer from the hash before. */
const recordedHistory = (id: string) =>
  until(
    async () =>
      ((await (await api(`/v1/jobs/${id}/history`)).json()).data as { status: string }[]).map(
        (entry) => entry.status,
      ),
    (statuses) => statuses.length > 1,
  );

beforeAll(async () => {
  harness = await startGatewayHarness({
    name: 'overdue',
    env: { JOB_MAX_LIFETIME_S: String(lifetimeSeconds) },
  });
  key = await harness.key({ tenant: 'acme', name: 'test', scopes: ['jobs'] });
  producer = new JobProducer(harness.redis, harness.prefix, {
    retentionSeconds: harness.env.JOB_RETENTION_S,
    maxLifetimeSeconds: lifetimeSeconds,
  });
}, 60_000);

afterAll(async () => {
  await producer?.close();
  await harness?.close();
});

describe('the overdue job sweeper (JOB_MAX_LIFETIME_S)', () => {
  it('leaves a job within its lifetime alone', async () => {
    const id = await overdueJob();
    expect(await sweepOnce(3_600)).toEqual({ ran: true, ended: 0 });
    expect((await (await api(`/v1/jobs/${id}`)).json()).status).toBe('queued');
    await producer.cancel(id);
  });

  it('ends a queued job past its lifetime failed through its hash, and removes its BullMQ job', async () => {
    const id = await overdueJob();
    expect(await harness.redis.exists(`${harness.prefix}:bull:llm:${id}`)).toBe(1);
    // The hash outlives the lifetime by the grace, so the ending goes through it, events and all.
    expect(await harness.redis.ttl(`${harness.prefix}:job:${id}`)).toBeGreaterThan(3_000);
    expect(await sweepOnce(lifetimeSeconds)).toEqual({ ran: true, ended: 1 });
    expect(await harness.redis.exists(`${harness.prefix}:bull:llm:${id}`)).toBe(0);
    expect(await recordedEnd(id)).toMatchObject({
      status: 'failed',
      started_at: null,
      status_reason: expect.stringContaining('JOB_MAX_LIFETIME_S'),
      error: { code: 'JOB_LIFETIME_EXCEEDED', retryable: true, details: { max_lifetime_s: lifetimeSeconds } },
    });
    expect(await recordedHistory(id)).toEqual(['queued', 'failed']);
  });

  it('ends a job whose hash is gone (Redis lost it) from its row, history and all', async () => {
    const id = await overdueJob();
    await harness.redis.del(`${harness.prefix}:job:${id}`);
    // Without the sweep the row would say `queued` for good: nothing else writes it any more.
    expect((await (await api(`/v1/jobs/${id}`)).json()).status).toBe('queued');
    expect(await sweepOnce(lifetimeSeconds)).toEqual({ ran: true, ended: 1 });
    expect(await harness.redis.exists(`${harness.prefix}:bull:llm:${id}`)).toBe(0);
    expect(await recordedEnd(id)).toMatchObject({
      status: 'failed',
      completed_at: expect.any(String),
      error: { code: 'JOB_LIFETIME_EXCEEDED' },
    });
    expect(await recordedHistory(id)).toEqual(['queued', 'failed']);
    // Ended once: a second round finds nothing left to end.
    expect(await sweepOnce(lifetimeSeconds)).toEqual({ ran: true, ended: 0 });
  });
});
