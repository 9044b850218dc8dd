import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';
import type { LogBuffer } from './log-buffer.js';
import { ManagedProcess } from './managed-process.js';
import { repoRoot } from './repo-paths.js';
import { waitUntil } from './wait-until.js';

/**
 * A redis-server of the test's own, durable as production should be (AOF on and fsynced before each
 * reply, no RDB snapshots, no eviction), on a free port and a temp dir, so a test can stop and restart it without touching
 * anyone else's Redis. A restart reuses the port and the AOF.
 */
export class ThrowawayRedis {
  private process: ManagedProcess | null = null;

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly logs: LogBuffer,
  ) {}

  static async start(logs: LogBuffer): Promise<ThrowawayRedis> {
    const redis = new ThrowawayRedis(
      await freePort(),
      await mkdtemp(path.join(tmpdir(), 'gantry-e2e-redis-')),
      logs,
    );
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.process?.running) return;
    const process = new ManagedProcess({
      name: 'redis',
      command: 'redis-server',
      args: [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
      ],
      env: { PATH: globalThis.process.env['PATH'] },
      cwd: repoRoot,
      logs: this.logs,
    });
    this.process = process;
    await waitUntil(
      () => this.ping(),
      (ok) => ok || !process.running,
      {
        what: `redis-server on port ${this.port}`,
        context: () => this.logs.tail(20, 'redis'),
      },
    );
    if (!process.running) throw new Error(`redis-server exited at start:\n${this.logs.tail(20, 'redis')}`);
  }

  /** SIGTERM: Redis fsyncs the AOF and exits, as on a planned restart. */
  async stop(): Promise<void> {
    await this.process?.stop('SIGTERM');
    this.process = null;
  }

  /** SIGKILL, as a crash would: Redis gets no chance to flush anything. */
  async kill(): Promise<void> {
    await this.process?.kill();
    this.process = null;
  }

  /** Stops it and deletes its data. */
  async destroy(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  private async ping(): Promise<boolean> {
    const client = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 500,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }
}
