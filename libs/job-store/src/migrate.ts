import type pg from 'pg';
import { GantryError } from '@gantry/contracts';
import { isDatabaseUnavailable, toDatabaseError } from './database-error.js';
import { type Migration, migrations as allMigrations } from './migrations.js';
import { silentLogger, type StoreLogger } from './store-logger.js';

export interface MigrateResult {
  /** Versions applied by this call (empty when the schema was already current). */
  applied: number[];
  /** The schema the migrations ran in (the first of the search_path). */
  schema: string;
}

/**
 * Brings the schema up to date. Runs under a session advisory lock scoped to the schema, so
 * replicas starting together apply each migration once while the others wait and then find nothing to do.
 */
export async function migrate(
  pool: pg.Pool,
  options: { logger?: StoreLogger; migrations?: readonly Migration[] } = {},
): Promise<MigrateResult> {
  const logger = options.logger ?? silentLogger;
  const migrations = [...(options.migrations ?? allMigrations)].sort((a, b) => a.version - b.version);
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw toDatabaseError(error);
  }
  let failure: Error | undefined;
  // Checked-out clients have no pool error listener: a dropped connection must not crash the process.
  const onLost = (error: Error) => {
    failure = error;
  };
  client.on('error', onLost);
  try {
    // Migrations may legitimately run past the pool's statement timeout (an index on a big table),
    // and waiting for the lock held by another replica must not time out either.
    await client.query('SET statement_timeout = 0');
    const { rows } = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema');
    const schema = rows[0]?.schema ?? 'public';
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`gantry.job-store.migrate:${schema}`]);
    try {
      await client.query(`
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version integer PRIMARY KEY,
          name text NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now()
        )`);
      const done = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const appliedBefore = new Set(done.rows.map((row) => row.version));
      const applied: number[] = [];
      for (const migration of migrations) {
        if (appliedBefore.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            migration.version,
            migration.name,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          if (isDatabaseUnavailable(error)) throw error;
          // For the operator reading the boot log (never a client): which migration, in PostgreSQL's words.
          throw new GantryError(
            'INTERNAL',
            `migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`,
            { cause: error },
          );
        }
        applied.push(migration.version);
        logger.info({ version: migration.version, name: migration.name, schema }, 'migration applied');
      }
      return { applied, schema };
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`gantry.job-store.migrate:${schema}`]);
      await client.query('RESET statement_timeout');
    }
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    throw toDatabaseError(error);
  } finally {
    // A client that failed mid-way may still hold the lock or a session setting: destroy it.
    client.off('error', onLost);
    client.release(failure);
  }
}
