import { JobObject } from '@gantry/contracts';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayClient } from '../harness/gateway-client.js';
import { Platform } from '../harness/platform.js';
import { waitUntil } from '../harness/wait-until.js';

// A Redis of this file's own (so its memory is this stack's alone), the shared PostgreSQL under this
// file's schema, one gateway and one test worker started as the README starts them, retention short.
// The issue asks for 20,000 jobs; on the 2-core machine the suite runs on that takes minutes, so the
// default is 3,000 (well under two minutes); SOAK_JOBS=20000 runs the full soak.
const jobs = Number(process.env['SOAK_JOBS'] ?? 3_000);
const inFlight = 32;
const platform = await Platform.start({ label: 'retention-soak', redis: 'own' });
const redis = new Redis(platform.redisUrl);
let api: GatewayClient;

platform.printLogsOnFailure();

beforeAll(async () => {
  await platform.startWorker('test', { readyTimeoutMs: 90_000 });
  // The soak measures memory, not the rate limiter: its uploads go as fast as the machine takes them.
  const gateway = await platform.startGateway('gateway', {
    JOB_RETENTION_S: '5',
    GATEWAY_RATE_LIMIT_PER_S: '0',
  });
  api = platform.client(gateway, await platform.createApiKey());
  await api.waitForJobType('test.checksum');
}, 120_000);

afterAll(async () => {
  redis.disconnect();
  await platform.cleanup();
}, 60_000);

/** A small PNG-signed file, different for every job, uploaded with its job. */
async function submitUpload(n: number): Promise<string> {
  const form = new FormData();
  const bytes = Buffer.concat([
    Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'),
    Buffer.from(`soak-${n}`),
  ]);
  form.set('file', new Blob([bytes]), `soak-${n}.png`);
  const res = await api.fetch('/v1/jobs/test.checksum', { method: 'POST', body: form });
  if (res.status !== 202) throw new Error(`upload ${n} answered ${res.status}: ${await res.text()}`);
  return JobObject.parse(await res.json()).id;
}

/** Submits `count` jobs with uploads, `inFlight` at a time. */
async function submitAll(count: number, from = 0): Promise<string[]> {
  const ids: string[] = [];
  let next = from;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < from + count) ids.push(await submitUpload(next++));
    }),
  );
  return ids;
}

const succeeded = async (ids: readonly string[]) =>
  Number(
    (
      await platform.query<{ n: string }>(
        "SELECT count(*) AS n FROM jobs WHERE id = ANY($1) AND status = 'succeeded'",
        [ids],
      )
    )[0]?.n,
  );

async function jobKeys(): Promise<number> {
  let cursor = '0';
  let count = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${platform.prefix}:job:*`, 'COUNT', 1_000);
    cursor = next;
    count += keys.length;
  } while (cursor !== '0');
  return count;
}

/** Until every job is in PostgreSQL and Redis has let every one go. */
async function settled(ids: readonly string[]): Promise<void> {
  await waitUntil(
    () => succeeded(ids),
    (n) => n === ids.length,
    { what: `${ids.length} jobs succeeded in PostgreSQL`, timeoutMs: 120_000, intervalMs: 500 },
  );
  await waitUntil(jobKeys, (n) => n === 0, { what: 'no job hash left in Redis', timeoutMs: 30_000 });
  // Past retention: whatever a finished job may still have kept has expired.
  await new Promise((resolve) => setTimeout(resolve, 6_000));
}

const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);

describe(`a soak of ${jobs} jobs with uploads`, () => {
  it('leaves Redis memory back near its baseline, and PostgreSQL holding every job', async ({ annotate }) => {
    // The warm-up puts in the baseline what the stack keeps once (queues, streams, registry, scripts).
    await settled(await submitAll(100));
    const baseline = { memory: await usedMemory(), keys: await redis.dbsize() };

    const ids = await submitAll(jobs, 100);
    expect(new Set(ids).size).toBe(jobs);
    await settled(ids);

    const after = { memory: await usedMemory(), keys: await redis.dbsize() };
    expect(await redis.xlen(`${platform.prefix}:records`)).toBe(0);
    await annotate(
      `${after.memory - baseline.memory} bytes of used_memory over the baseline; keys ${baseline.keys} → ${after.keys}`,
    );
    expect(after.keys).toBeLessThanOrEqual(baseline.keys + 2);
    // Near: BullMQ's own event stream (1,000 entries at most) and allocator slack (87 KB measured at
    // 3,000 jobs), far below the ~6 KB a recorded job used to keep for the whole retention (18 MB).
    expect(after.memory - baseline.memory).toBeLessThan(1_048_576);
  }, 300_000);
});
