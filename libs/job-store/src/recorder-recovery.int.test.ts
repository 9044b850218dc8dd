import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { redisKeys } from '@gantry/job-state';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from './create-pool.js';
import { migrate } from './migrate.js';
import { createRecorder } from './recorder.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './start-embedded-postgres.js';
import { createTestSchema, type TestSchema } from './testing/create-test-schema.js';
import { memoryLogger } from './testing/memory-logger.js';
import { deletePrefix, writeJobState } from './testing/write-job-state.js';

// Real Redis, real PostgreSQL (an embedded PostgreSQL 18 that the test stops and starts, and the
// test database), and a real recorder process killed with SIGKILL.
let redis: Redis;
const prefixes: string[] = [];

function newPrefix() {
  const prefix = `test-recovery-${randomBytes(4).toString('hex')}`;
  prefixes.push(prefix);
  return prefix;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const count = async (pool: pg.Pool, sql: string) => Number((await pool.query<{ n: string }>(sql)).rows[0]?.n);

beforeAll(() => {
  redis = new Redis('redis://127.0.0.1:6379');
});
afterAll(async () => {
  for (const prefix of prefixes) await deletePrefix(redis, prefix);
  redis.disconnect();
});

describe('recorder recovery', () => {
  it('keeps entries pending while Postgres is down and records all of them once it is back', async () => {
    const prefix = newPrefix();
    const dataDir = await mkdtemp(path.join(tmpdir(), 'gantry-pg-'));
    const port = await freePort();
    let postgres: EmbeddedPostgres | null = await startEmbeddedPostgres({ dataDir, port });
    const pool = createPool(postgres.url, { connectionTimeoutMs: 500 });
    const logger = memoryLogger();
    const recorder = createRecorder({
      redis,
      pool,
      logger,
      prefix,
      blockMs: 100,
      backoffInitialMs: 50,
      backoffMaxMs: 300,
    });
    try {
      await migrate(pool);
      recorder.start();
      for (let i = 0; i < 20; i++)
        await writeJobState(redis, prefix, { id: `pg-${i}`, status: 'queued', seq: 1 });
      await recorder.flush();

      // Postgres goes away while entries keep arriving, likely in the middle of a batch.
      let stopped: Promise<void> | null = null;
      for (let i = 0; i < 100; i++) {
        if (i === 30) stopped = postgres.stop();
        if (i >= 20) await writeJobState(redis, prefix, { id: `pg-${i}`, status: 'queued', seq: 1 });
        await writeJobState(redis, prefix, { id: `pg-${i}`, status: 'running', seq: 2 });
        await delay(2);
      }
      await stopped;
      postgres = null;
      await expect.poll(() => recorder.stats().consecutiveFailures, { timeout: 5_000 }).toBeGreaterThan(2);
      expect((await recorder.backlog()).entries).toBeGreaterThan(100);
      expect(
        logger.lines.some((line) => line.level === 'error' && /will be retried/.test(line.message ?? '')),
      ).toBe(true);

      // The same data folder and port: the initialised cluster is reused.
      postgres = await startEmbeddedPostgres({ dataDir, port });
      // A second server on a folder in use fails with postgres's own reason.
      await expect(startEmbeddedPostgres({ dataDir, port: await freePort() })).rejects.toMatchObject({
        code: 'DATABASE_UNAVAILABLE',
        message: expect.stringContaining('postmaster.pid'),
      });
      await recorder.flush(15_000);
      expect(await count(pool, "SELECT count(*) AS n FROM jobs WHERE status = 'running' AND seq = 2")).toBe(
        100,
      );
      expect(await count(pool, 'SELECT count(*) AS n FROM job_events')).toBe(200);
      expect(recorder.stats().consecutiveFailures).toBe(0);
      expect(await recorder.backlog()).toMatchObject({ entries: 0, pending: 0 });
    } finally {
      await recorder.stop();
      await pool.end();
      await postgres?.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a data folder that holds something else', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'gantry-pg-'));
    try {
      await writeFile(path.join(dataDir, 'notes.txt'), 'mine');
      await expect(startEmbeddedPostgres({ dataDir, port: await freePort() })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  describe('with the test database', () => {
    let db: TestSchema;
    beforeAll(async () => {
      db = await createTestSchema('recovery');
    });
    afterAll(async () => {
      await db.drop();
    });

    it('takes over the batch of a recorder killed before it could settle it', async () => {
      const prefix = newPrefix();
      const stream = redisKeys(prefix).records;
      await redis.xgroup('CREATE', stream, 'recorders', '0', 'MKSTREAM');
      for (let i = 0; i < 30; i++)
        await writeJobState(redis, prefix, { id: `k-${i}`, status: 'queued', seq: 1 });

      const script = path.join(import.meta.dirname, 'testing', 'recorder-process.ts');
      const child = spawn(
        process.execPath,
        [
          '--conditions=@gantry/source',
          '--import',
          'tsx',
          script,
          'redis://127.0.0.1:6379',
          prefix,
          'doomed',
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const holding = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
        child.on('exit', (code) => reject(new Error(`recorder process exited early (${String(code)})`)));
      });
      expect(holding).toBe('holding 30');
      child.kill('SIGKILL');
      await new Promise((resolve) => child.on('exit', resolve));

      const recorder = createRecorder({
        redis,
        pool: db.pool,
        logger: memoryLogger(),
        prefix,
        blockMs: 100,
        claimIdleMs: 300,
        claimIntervalMs: 100,
      });
      recorder.start();
      try {
        await recorder.flush();
        expect(await count(db.pool, 'SELECT count(*) AS n FROM jobs')).toBe(30);
        expect(recorder.stats().reclaimed).toBe(30);
        expect(await redis.xpending(stream, 'recorders')).toEqual([0, null, null, null]);
      } finally {
        await recorder.stop();
      }
    });
  });
});
