import { createApiKeyRepository, createPool, migrate } from '@gantry/job-store';

/**
 * On the first start (no key at all) creates a key for tenant "dev" with every scope (its own keys and the
 * platform's controls); it is shown once.
 */
export async function ensureDevKey(databaseUrl: string): Promise<string | null> {
  const pool = createPool(databaseUrl);
  try {
    await migrate(pool);
    const keys = createApiKeyRepository(pool);
    if ((await keys.count()) > 0) return null;
    return (await keys.create({ tenant: 'dev', name: 'quick start', scopes: ['jobs', 'admin', 'platform'] }))
      .key;
  } finally {
    await pool.end();
  }
}
