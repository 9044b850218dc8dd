import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from './create-pool.js';
import { migrate } from './migrate.js';
import { migrations } from './migrations.js';
import { createTestSchema, testDatabaseUrl, type TestSchema } from './testing/create-test-schema.js';

// Real Postgres (the test database), one schema for this file.
let db: TestSchema;

beforeAll(async () => {
  db = await createTestSchema('migrate', { migrate: false });
});
afterAll(async () => {
  await db.drop();
});

describe('migrate', () => {
  it('applies every migration once even when replicas start together', async () => {
    const replicas = [1, 2, 3].map(() => createPool(testDatabaseUrl, { searchPath: db.schema, max: 1 }));
    try {
      const results = await Promise.all(replicas.map((pool) => migrate(pool)));
      expect(results.flatMap((result) => result.applied).sort((a, b) => a - b)).toEqual(
        migrations.map((m) => m.version),
      );
      expect(new Set(results.map((result) => result.schema))).toEqual(new Set([db.schema]));
    } finally {
      await Promise.all(replicas.map((pool) => pool.end()));
    }
    const { rows } = await db.pool.query<{ version: number }>('SELECT version FROM schema_migrations');
    expect(rows.map((row) => row.version)).toEqual(migrations.map((m) => m.version));
    expect(await migrate(db.pool)).toEqual({ applied: [], schema: db.schema });
  });

  it('creates the tables and the indexes the list query uses, in the given schema', async () => {
    const { rows: tables } = await db.pool.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
      [db.schema],
    );
    expect(tables.map((row) => row.table_name)).toEqual([
      'api_keys',
      'batch_items',
      'batches',
      'job_events',
      'jobs',
      'notification_attempts',
      'notifications',
      'schedules',
      'schema_migrations',
      'webhook_secrets',
    ]);
    const { rows: indexes } = await db.pool.query<{ indexdef: string }>(
      "SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'jobs'",
      [db.schema],
    );
    const definitions = indexes.map((row) => row.indexdef.replace(/^.* USING btree /, ''));
    expect(definitions).toEqual(
      expect.arrayContaining([
        '(tenant, created_at DESC, id DESC)',
        '(tenant, status, created_at DESC, id DESC)',
        '(tenant, type, created_at DESC, id DESC)',
      ]),
    );
  });

  it('applies only the new migrations, in order, and rolls back a failing one', async () => {
    // Versions after the real ones, whatever their number is by now.
    const last = Math.max(...migrations.map((m) => m.version));
    const next = [
      ...migrations,
      { version: last + 2, name: 'third', sql: 'ALTER TABLE jobs ADD COLUMN third integer' },
      { version: last + 1, name: 'second', sql: 'ALTER TABLE jobs ADD COLUMN second integer' },
    ];
    expect(await migrate(db.pool, { migrations: next })).toEqual({
      applied: [last + 1, last + 2],
      schema: db.schema,
    });

    const broken = [
      ...next,
      { version: last + 3, name: 'broken', sql: 'ALTER TABLE jobs ADD COLUMN fourth integer; SELECT 1/0' },
    ];
    await expect(migrate(db.pool, { migrations: broken })).rejects.toThrow(
      new RegExp(`^migration ${last + 3} \\(broken\\) failed: division by zero$`),
    );
    const { rows } = await db.pool.query(
      "SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND column_name = 'fourth'",
      [db.schema],
    );
    expect(rows).toHaveLength(0);
    // The failed run released its lock: a later run is not blocked.
    expect(await migrate(db.pool, { migrations: next })).toEqual({ applied: [], schema: db.schema });
  });
});
