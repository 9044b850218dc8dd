import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '@gantry/observability';

/**
 * `blocking` connections (BullMQ workers, subscribers) wait for Redis forever; request-path
 * connections fail fast so an HTTP caller gets a 503 instead of a hang.
 */
export function createRedis(url: string, logger: Logger, mode: 'blocking' | 'fail-fast'): Redis {
  const options: RedisOptions =
    mode === 'blocking'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : {
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          commandTimeout: 2_000,
          connectTimeout: 2_000,
          // Concurrent requests' commands leave in one write per tick: fewer syscalls here and in Redis.
          enableAutoPipelining: true,
        };
  const redis = new Redis(url, { ...options, retryStrategy: (times) => Math.min(times * 200, 2_000) });
  let lastLogged = 0;
  redis.on('error', (error: Error) => {
    // A down Redis errors on every reconnect attempt; one line every 10 s is enough.
    if (Date.now() - lastLogged > 10_000) {
      lastLogged = Date.now();
      logger.error({ err: error }, 'redis connection error');
    }
  });
  return redis;
}
