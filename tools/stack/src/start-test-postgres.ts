import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createPool, startEmbeddedPostgres } from '@gantry/job-store';

export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:<port>/test — the URL the tests use, with no password. */
  url: string;
  stop(): Promise<void>;
}

/**
 * An embedded PostgreSQL shaped like the one the tests expect on a developer machine: a database
 * `test`, and trust auth on loopback, because the tests' URLs carry no password.
 */
export async function startTestPostgres(options: { port: number; dataDir: string }): Promise<TestPostgres> {
  const server = await startEmbeddedPostgres({ dataDir: options.dataDir, port: options.port });
  try {
    // initdb wrote scram-sha-256 rules; the server only listens on 127.0.0.1 (startEmbeddedPostgres).
    await writeFile(
      path.join(options.dataDir, 'pg_hba.conf'),
      'host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n',
    );
    const admin = createPool(server.url, { max: 1 });
    try {
      await admin.query('SELECT pg_reload_conf()');
      const existing = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'test'");
      if (existing.rowCount === 0) await admin.query('CREATE DATABASE test');
    } finally {
      await admin.end();
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: `postgres://postgres@127.0.0.1:${options.port}/test`, stop: () => server.stop() };
}
