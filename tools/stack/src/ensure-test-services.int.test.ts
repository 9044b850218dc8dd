// Integration: the real fallbacks on ports nothing answers on — a redis-server from PATH and an
// embedded PostgreSQL — reached the way the tests reach theirs (loopback, no password, database `test`).
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPool } from '@gantry/job-store';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ensureTestServices, missingSharedAssets } from './ensure-test-services.js';
import { portAnswers } from './port-answers.js';

const sharedDir = path.resolve(import.meta.dirname, '../../../../shared');

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('ensureTestServices', () => {
  it('starts Redis and PostgreSQL on closed ports, usable as the tests use them, and stops both', async () => {
    const [redisPort, postgresPort] = [await closedPort(), await closedPort()];
    const lines: string[] = [];
    const stop = await ensureTestServices({
      sharedDir,
      redisPort,
      postgresPort,
      log: (line) => lines.push(line),
    });
    try {
      const redis = new Redis(`redis://127.0.0.1:${redisPort}`);
      try {
        expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
        // The start command's loss window: none, every write is on disk before it is answered.
        expect(await redis.config('GET', 'appendfsync')).toEqual(['appendfsync', 'always']);
      } finally {
        redis.disconnect();
      }
      const pool = createPool(`postgres://postgres@127.0.0.1:${postgresPort}/test`, { max: 1 });
      try {
        const { rows } = await pool.query<{ db: string }>('SELECT current_database() AS db');
        expect(rows[0]?.db).toBe('test');
      } finally {
        await pool.end();
      }
      expect(lines.join('\n')).toContain(
        `embedded PostgreSQL there (postgres://postgres@127.0.0.1:${postgresPort}/test)`,
      );
    } finally {
      await stop();
    }
    expect(await portAnswers(redisPort)).toBe(false);
    expect(await portAnswers(postgresPort)).toBe(false);
  }, 120_000);

  it('starts nothing when the shared files are missing, and says how to get them', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'gantry-no-shared-'));
    try {
      const redisPort = await closedPort();
      await expect(
        ensureTestServices({ sharedDir: empty, redisPort, postgresPort: 1, log: () => undefined }),
      ).rejects.toThrow(
        /models\/ and fixtures\/ are missing[\s\S]*npm run models:fetch -- --test-assets --from DIR/,
      );
      expect(await portAnswers(redisPort)).toBe(false);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('says what to do when Redis is down and there is no redis-server to start', async () => {
    const searchPath = process.env['PATH'];
    process.env['PATH'] = '/nonexistent';
    try {
      const redisPort = await closedPort();
      await expect(
        ensureTestServices({ sharedDir, redisPort, postgresPort: 1, log: () => undefined }),
      ).rejects.toThrow(
        `Redis is not reachable at redis://127.0.0.1:${redisPort}, and there is no redis-server on PATH to start. ` +
          `Install it (sudo apt-get install redis-server), or start a Redis on port ${redisPort} yourself`,
      );
    } finally {
      process.env['PATH'] = searchPath;
    }
  });

  it('is satisfied by the shared folder beside this repository', () => {
    expect(missingSharedAssets(sharedDir)).toBeNull();
  });
});
