import { GantryError } from '@gantry/contracts';
import { Redis } from 'ioredis';
import type { ControlLogger } from './control-logger.js';
import type { RedisConnection } from './parse-redis-url.js';

/**
 * Opens a connected ioredis client that logs its errors instead of crashing the process and
 * reconnects until it is closed. Commands fail at once while Redis is away (no offline queue):
 * a heartbeat is better lost than replayed late, and a caller gets its error now.
 */
export async function openRedisClient(
  connection: RedisConnection,
  logger: ControlLogger,
  name: string,
): Promise<Redis> {
  const client = new Redis({
    ...connection,
    connectionName: name,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // ioredis repeats the error on every reconnect attempt: log the outage once, then its end
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return logger.debug({ err: error, connection: name }, 'Redis still unreachable');
    down = true;
    logger.error({ err: error, connection: name }, 'Redis error');
  });
  client.on('ready', () => {
    if (down) logger.info({ connection: name }, 'Redis connection restored');
    down = false;
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw unavailable(connection, error);
  }
  return client;
}

/** Closes a client without waiting on a Redis that is not there. */
export async function closeRedisClient(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}

export function unavailable(connection: RedisConnection, cause: unknown): GantryError {
  return new GantryError(
    'QUEUE_UNAVAILABLE',
    `Redis at ${connection.host}:${connection.port} is unreachable`,
    {
      cause,
      details: { host: connection.host, port: connection.port },
    },
  );
}
