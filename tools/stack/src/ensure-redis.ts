import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';

async function reachable(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1_000,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/**
 * Uses the Redis at `url` when it answers. Otherwise starts `redis-server` (AOF on, no eviction)
 * when it is installed, or explains how to get one. Returns a stop function for what it started,
 * settled once that server has exited.
 */
export async function ensureRedis(
  url: string,
  home: string,
  log: (line: string) => void,
  /** What else the reader can do, after "install redis-server". */
  otherwise = 'or run `docker compose -f docker/compose.yml up -d`, or set REDIS_URL',
): Promise<() => Promise<void>> {
  if (await reachable(url)) return async () => undefined;
  const { hostname, port } = new URL(url);
  if (
    !['127.0.0.1', 'localhost', '::1'].includes(hostname) ||
    spawnSync('redis-server', ['--version']).error
  ) {
    throw new Error(
      `Redis is not reachable at ${url}, and there is no redis-server on PATH to start. ` +
        `Install it (sudo apt-get install redis-server), ${otherwise}.`,
    );
  }
  const dir = path.resolve(home, 'redis');
  await mkdir(dir, { recursive: true });
  const server = spawn(
    'redis-server',
    [
      '--port',
      port || '6379',
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      // Every accepted job is on disk before its 202: a machine crash or power loss loses nothing
      // (everysec could lose the last second; the bench shows what always costs).
      '--appendfsync',
      'always',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 50 && !(await reachable(url)); i += 1) await new Promise((r) => setTimeout(r, 100));
  if (!(await reachable(url))) throw new Error('redis-server did not start');
  log(`started redis-server on ${url} (AOF on, fsync always, data in ${dir})`);
  return async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    await exited;
  };
}
