import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { JobObject } from '@gantry/contracts';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayClient } from '../harness/gateway-client.js';
import { Platform } from '../harness/platform.js';
import { waitUntil } from '../harness/wait-until.js';

// A Redis of this file's own (so its memory is this stack's alone), the shared PostgreSQL under this
// file's schema, one gateway and one test worker started as the README starts them. Retention is one
// setting that every process reads, shortened here for the whole stack, and the gateway's blob sweeper
// runs every second, so a job's Redis state and its upload are both gone seconds after it ends.
// The issue asks for 20,000 jobs with uploads and that is the default: 2 min 10-40 s on a shared
// 2-core machine with four engine processes (3 min 30 s with one). SOAK_JOBS=3000 runs it in ~45 s.
const jobs = Number(process.env['SOAK_JOBS'] ?? 20_000);
const inFlight = 32;
const platform = await Platform.start({
  label: 'retention-soak',
  redis: 'own',
  env: { JOB_RETENTION_S: '5' },
});
const redis = new Redis(platform.redisUrl);
let api: GatewayClient;

platform.printLogsOnFailure();

beforeAll(async () => {
  // Four engine processes: with one, the worker rather than the uploads sets the soak's length.
  await platform.startWorker('test', { env: { WORKER_CONCURRENCY: '4' }, readyTimeoutMs: 90_000 });
  // The soak measures memory, not the rate limiter or the tenant's quota: its uploads go as fast as the
  // machine takes them, however far the worker falls behind.
  const gateway = await platform.startGateway('gateway', {
    GATEWAY_RATE_LIMIT_PER_S: '0',
    TENANT_MAX_ACTIVE_JOBS: '0',
    BLOB_SWEEP_INTERVAL_S: '1',
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

/** Files under the blob folder (each upload's bytes and its sidecar) and their bytes. */
async function blobFolder(): Promise<{ files: number; bytes: number }> {
  const entries = await readdir(platform.blobDir, { recursive: true, withFileTypes: true });
  // The sweeper may delete a file between the listing and its stat: it no longer counts.
  const sizes = await Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map((file) =>
        stat(path.join(file.parentPath, file.name)).then(
          (found) => found.size,
          () => null,
        ),
      ),
  );
  const present = sizes.filter((size) => size !== null);
  return { files: present.length, bytes: present.reduce((sum, size) => sum + size, 0) };
}

/**
 * Until every job is in PostgreSQL, Redis has let every one go, and the sweeper has deleted as many
 * uploads as the folder held before them. The sweeper deletes a blob only once every job naming it
 * ended over JOB_RETENTION_S ago, so when the folder is back, retention has passed for every job.
 */
async function settled(ids: readonly string[], blobs: { files: number }): Promise<void> {
  await waitUntil(
    () => succeeded(ids),
    (n) => n === ids.length,
    {
      what: `${ids.length} jobs succeeded in PostgreSQL`,
      timeoutMs: 120_000 + ids.length * 20,
      intervalMs: 500,
    },
  );
  await waitUntil(jobKeys, (n) => n === 0, { what: 'no job hash left in Redis', timeoutMs: 30_000 });
  await waitUntil(blobFolder, (folder) => folder.files <= blobs.files, {
    what: `the blob folder back to ${blobs.files} files`,
    timeoutMs: 60_000,
    intervalMs: 1_000,
  });
}

const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);

describe(`a soak of ${jobs} jobs with uploads`, () => {
  it(
    'leaves Redis memory and the blob folder back near their baseline, and PostgreSQL holding every job',
    async ({ annotate }) => {
      const blobsBefore = await blobFolder();
      // The warm-up puts in the baseline what the stack keeps once (queues, streams, registry, scripts).
      await settled(await submitAll(100), blobsBefore);
      const baseline = { memory: await usedMemory(), keys: await redis.dbsize(), blobs: await blobFolder() };

      const started = Date.now();
      const ids = await submitAll(jobs, 100);
      expect(new Set(ids).size).toBe(jobs);
      const submittedS = (Date.now() - started) / 1_000;
      // The uploads of the last seconds are still within retention: the folder did fill.
      const held = await blobFolder();
      expect(held.files).toBeGreaterThan(baseline.blobs.files);
      await settled(ids, baseline.blobs);

      const after = { memory: await usedMemory(), keys: await redis.dbsize(), blobs: await blobFolder() };
      expect(await redis.xlen(`${platform.prefix}:records`)).toBe(0);
      await annotate(
        `${jobs} jobs submitted in ${submittedS.toFixed(1)} s, settled in ${((Date.now() - started) / 1_000).toFixed(1)} s; ` +
          `${after.memory - baseline.memory} bytes of used_memory over the baseline; keys ${baseline.keys} → ${after.keys}; ` +
          `blob folder ${baseline.blobs.files} → ${held.files} → ${after.blobs.files} files, ` +
          `${baseline.blobs.bytes} → ${held.bytes} → ${after.blobs.bytes} bytes`,
      );
      expect(await succeeded(ids)).toBe(jobs);
      expect(after.blobs).toEqual(baseline.blobs);
      expect(after.keys).toBeLessThanOrEqual(baseline.keys + 2);
      // Near: BullMQ's own event stream (1,000 entries at most) and allocator slack (87 KB measured at
      // 3,000 jobs, 184 KB at 20,000), far below the ~6 KB a recorded job used to keep for the whole
      // retention (120 MB at 20,000).
      expect(after.memory - baseline.memory).toBeLessThan(1_048_576);
    },
    300_000 + jobs * 30,
  );
});
