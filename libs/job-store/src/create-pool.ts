import pg from 'pg';
import { GantryError } from '@gantry/contracts';
import { silentLogger, type StoreLogger } from './store-logger.js';

export interface PoolOptions {
  /** Most connections this process opens (default 10). */
  max?: number;
  /** Server-side limit for one statement (default 30 s); migrations lift it for themselves. */
  statementTimeoutMs?: number;
  /** How long to wait for a connection before failing (default 5 s). */
  connectionTimeoutMs?: number;
  /** Idle connections are closed after this (default 30 s). */
  idleTimeoutMs?: number;
  applicationName?: string;
  /** One schema to use instead of `public` (tests give each file its own). */
  searchPath?: string;
  logger?: StoreLogger;
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function createPool(databaseUrl: string, options: PoolOptions = {}): pg.Pool {
  if (options.searchPath !== undefined && !identifier.test(options.searchPath)) {
    throw new GantryError(
      'BAD_REQUEST',
      `searchPath must be a plain identifier, got "${options.searchPath}"`,
    );
  }
  const logger = options.logger ?? silentLogger;
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    idle_in_transaction_session_timeout: 60_000,
    application_name: options.applicationName ?? 'gantry',
    keepAlive: true,
    ...(options.searchPath === undefined ? {} : { options: `-c search_path=${options.searchPath}` }),
  });
  // An idle client whose server went away emits 'error' on the pool; unhandled, it would kill the process.
  pool.on('error', (error) => {
    logger.warn({ err: error }, 'idle PostgreSQL connection failed; the pool will open a new one');
  });
  return pool;
}
