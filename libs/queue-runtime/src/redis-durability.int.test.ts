import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '@gantry/observability';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRedisDurability } from './redis-durability.js';

// Real redis-servers of this file's own, one per configuration, on free ports and temp dirs.
const logger = createLogger('durability-test', 'silent');
const started: { server: ChildProcess; client: Redis; dir: string }[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function redisWith(...args: string[]): Promise<Redis> {
  const [port, dir] = await Promise.all([freePort(), mkdtemp(path.join(tmpdir(), 'gantry-durability-'))]);
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...args],
    {
      stdio: 'ignore',
    },
  );
  const client = new Redis(port, '127.0.0.1', { retryStrategy: () => 50 });
  // Refused until the server listens; the client retries.
  client.on('error', () => undefined);
  started.push({ server, client, dir });
  await client.ping();
  return client;
}

afterAll(async () => {
  for (const { server, client, dir } of started) {
    client.disconnect();
    server.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});

describe('checkRedisDurability (real redis-servers)', () => {
  it('reports no loss window with AOF fsynced on every write', async () => {
    const redis = await redisWith('--appendonly', 'yes', '--appendfsync', 'always', '--save', '');
    expect(await checkRedisDurability(redis, logger)).toEqual({
      aof: true,
      appendfsync: 'always',
      lossWindow: expect.stringMatching(/^none/),
      problems: [],
    });
  });

  it('reports up to a second with everysec, and what the OS holds with no', async () => {
    const everysec = await redisWith('--appendonly', 'yes', '--appendfsync', 'everysec');
    expect(await checkRedisDurability(everysec, logger)).toMatchObject({
      appendfsync: 'everysec',
      lossWindow: expect.stringMatching(/^up to 1 s/),
      problems: [],
    });
    const no = await redisWith('--appendonly', 'yes', '--appendfsync', 'no');
    const report = await checkRedisDurability(no, logger);
    expect(report.lossWindow).toMatch(/OS/);
    expect(report.problems).toEqual([expect.stringMatching(/appendfsync is no/)]);
  });

  it('reports everything since the last snapshot with AOF off, and eviction as a problem', async () => {
    const redis = await redisWith('--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru');
    const report = await checkRedisDurability(redis, logger);
    expect(report).toMatchObject({
      aof: false,
      lossWindow: expect.stringMatching(/since the last RDB snapshot/),
    });
    expect(report.problems).toHaveLength(2);
  });
});
