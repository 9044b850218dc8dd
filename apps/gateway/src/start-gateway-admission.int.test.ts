import { redisKeys } from '@gantry/job-state';
import { queue } from '@gantry/queue-runtime/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from './start-gateway.js';
import { type GatewayHarness, startGatewayHarness } from './testing/gateway-harness.js';

// Admission over HTTP, nothing mocked: Redis, Postgres (own schema), BullMQ, a worker (paused, so jobs
// stay queued), a gateway configured by env with a quota of 2 jobs per tenant.
let harness: GatewayHarness;
let prefix: string;
let redis: Redis;
let gateway: RunningGateway;
const keys = { acme: '', other: '' };

const post = (key: string) =>
  fetch(`${gateway.url}/v1/jobs/test.sleep`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ input: { ms: 1 } }),
  });

beforeAll(async () => {
  harness = await startGatewayHarness({
    name: 'gw-admission',
    env: { TENANT_MAX_ACTIVE_JOBS: '2' },
    worker: { heartbeatMs: 300 },
  });
  await harness.worker.pause();
  ({ prefix, redis, gateway } = harness);
  keys.acme = await harness.key({ tenant: 'acme', name: 'test', scopes: ['jobs'] });
  keys.other = await harness.key({ tenant: 'other', name: 'test', scopes: ['jobs'] });
}, 60_000);

afterAll(() => harness?.close());

describe('admission over HTTP (real Redis, Postgres, worker)', () => {
  it('answers 429 QUOTA_EXCEEDED past TENANT_MAX_ACTIVE_JOBS, naming the limit, until a job ends', async () => {
    const first = (await (await post(keys.acme)).json()) as { id: string };
    expect((await post(keys.acme)).status).toBe(202);
    const refused = await post(keys.acme);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      error: {
        code: 'QUOTA_EXCEEDED',
        message: expect.stringContaining('2'),
        retryable: true,
        details: { limit: 'active_jobs', value: 2, setting: 'TENANT_MAX_ACTIVE_JOBS', active: 2 },
      },
    });
    expect((await post(keys.other)).status).toBe(202);
    const cancel = await fetch(`${gateway.url}/v1/jobs/${first.id}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.acme}` },
    });
    expect(cancel.status).toBe(202);
    expect((await post(keys.acme)).status).toBe(202);
  });

  it('answers 503 QUEUE_UNAVAILABLE when the BullMQ add fails, and PostgreSQL records the job failed', async () => {
    // BullMQ's add script first increments the queue's id counter: a string there makes it fail.
    const counter = `${redisKeys(prefix).bullPrefix}:${queue}:id`;
    const saved = await redis.get(counter);
    await redis.set(counter, 'not-a-number');
    let reply: Response;
    try {
      reply = await post(keys.other);
    } finally {
      if (saved === null) await redis.del(counter);
      else await redis.set(counter, saved);
    }
    expect(reply.status).toBe(503);
    expect(reply.headers.get('retry-after')).toBeTruthy();
    expect(((await reply.json()) as { error: { code: string } }).error.code).toBe('QUEUE_UNAVAILABLE');
    const failed = async () => {
      const res = await fetch(`${gateway.url}/v1/jobs?status=failed`, {
        headers: { authorization: `Bearer ${keys.other}` },
      });
      return ((await res.json()) as { data: { error: { code: string } | null }[] }).data;
    };
    // The recorder writes PostgreSQL in batches, behind the requests (polled gently so it is not starved).
    await expect.poll(failed, { timeout: 30_000, interval: 500 }).toEqual([
      expect.objectContaining({
        status: 'failed',
        error: expect.objectContaining({ code: 'QUEUE_UNAVAILABLE' }),
      }),
    ]);
    // Its quota place was given back: "other" has one job queued, and may queue one more.
    expect((await post(keys.other)).status).toBe(202);
  });
});
