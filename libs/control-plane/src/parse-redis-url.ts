import { GantryError } from '@gantry/contracts';

/** Connection settings that both ioredis and the NestJS Redis transport take as they are. */
export interface RedisConnection {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls?: Record<string, never>;
}

/** Parses `redis://[user:pass@]host:port[/db]` (or `rediss://` for TLS). */
export function parseRedisUrl(url: string): RedisConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw invalidUrl('it is not a URL', error);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw invalidUrl(`the scheme is "${parsed.protocol}", expected "redis:" or "rediss:"`);
  }
  if (parsed.hostname === '') throw invalidUrl('it has no host');
  const dbPath = parsed.pathname.replace(/^\//, '');
  const db = dbPath === '' ? 0 : Number(dbPath);
  if (!/^\d*$/.test(dbPath) || !Number.isSafeInteger(db)) {
    throw invalidUrl(`the path "/${dbPath}" is not a database number`);
  }
  const connection: RedisConnection = {
    // URL keeps the brackets of an IPv6 host; sockets want the bare address
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    db,
  };
  if (parsed.username !== '') connection.username = decodeURIComponent(parsed.username);
  if (parsed.password !== '') connection.password = decodeURIComponent(parsed.password);
  if (parsed.protocol === 'rediss:') connection.tls = {};
  return connection;
}

// The URL itself stays out of the message: it may carry a password.
function invalidUrl(reason: string, cause?: unknown): GantryError {
  return new GantryError(
    'INTERNAL',
    `Invalid Redis URL: ${reason}; set it as redis://[user:pass@]host:port[/db]`,
    { retryable: false, cause },
  );
}
