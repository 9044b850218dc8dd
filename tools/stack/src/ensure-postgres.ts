import path from 'node:path';
import { startEmbeddedPostgres } from '@gantry/job-store';

/** Uses DATABASE_URL when set; otherwise runs an embedded PostgreSQL with its data in GANTRY_HOME. */
export async function ensurePostgres(
  databaseUrl: string | undefined,
  home: string,
  port: number,
  log: (line: string) => void,
): Promise<{ url: string; stop: () => Promise<void> }> {
  if (databaseUrl) return { url: databaseUrl, stop: async () => undefined };
  const dataDir = path.resolve(home, 'postgres');
  const embedded = await startEmbeddedPostgres({ dataDir, port });
  log(`started embedded PostgreSQL on port ${port} (data in ${dataDir})`);
  return embedded;
}
