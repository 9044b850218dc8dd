import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { createPool } from '../create-pool.js';
import { migrate } from '../migrate.js';

export const testDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/test';

export interface TestSchema {
  schema: string;
  /** A pool whose search_path is the schema, already migrated unless asked not to. */
  pool: pg.Pool;
  /** Ends the pool and drops the schema with everything in it. */
  drop(): Promise<void>;
}

/** A fresh schema on the real test database, so test files never see each other's rows. */
export async function createTestSchema(
  label: string,
  options: { migrate?: boolean; databaseUrl?: string } = {},
): Promise<TestSchema> {
  const databaseUrl = options.databaseUrl ?? testDatabaseUrl;
  const schema = `t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = createPool(databaseUrl, { max: 1 });
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  const pool = createPool(databaseUrl, { searchPath: schema, max: 5 });
  if (options.migrate !== false) await migrate(pool);
  return {
    schema,
    pool,
    async drop() {
      await pool.end();
      const cleanup = createPool(databaseUrl, { max: 1 });
      try {
        await cleanup.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
