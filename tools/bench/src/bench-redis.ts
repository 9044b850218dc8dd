import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { ExternalProcess } from './external-process.js';
import { freePort } from './free-port.js';

/**
 * A redis-server of the bench's own, on a free port, configured as `docker/compose.yml` runs Redis
 * (AOF on, fsync every second, no RDB snapshots, no eviction). Every pipeline of a scenario runs on
 * it in turn, so its commands, memory and CPU are theirs alone: the shared Redis serves other clients
 * too, and must never be flushed or reconfigured.
 */
export class BenchRedis {
  private constructor(
    private readonly server: ExternalProcess,
    readonly port: number,
    private readonly dir: string,
  ) {}

  /** True when `redis-server` is on PATH. */
  static available(): boolean {
    return !spawnSync('redis-server', ['--version']).error;
  }

  static async start(): Promise<BenchRedis> {
    const port = await freePort();
    const dir = await mkdtemp(path.join(tmpdir(), 'gantry-bench-redis-'));
    const server = ExternalProcess.start('redis-server', 'redis-server', [
      ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
      ...[
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
      ],
    ]);
    const redis = new BenchRedis(server, port, dir);
    try {
      await server.waitUntil(() => redis.ping(), 10_000);
    } catch (error) {
      await redis.stop();
      throw error;
    }
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.server.pid;
  }

  /** Stops it and deletes its data: nothing of it outlives the scenario. */
  async stop(): Promise<void> {
    await this.server.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  private async ping(): Promise<boolean> {
    const client = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } finally {
      client.disconnect();
    }
  }
}
