import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '@gantry/observability';

const modes = {
  blocking: { maxRetriesPerRequest: null, enableReadyCheck: true },
  // No ready check: ioredis sends a SUBSCRIBE made while it connects at once, and then the check's
  // INFO, which Redis refuses in subscriber mode; ioredis then reconnects without the subscription and
  // never hears its channel again (ioredis#2037). A subscriber has nothing to wait for anyway: SUBSCRIBE
  // is allowed while Redis loads its data.
  subscriber: { maxRetriesPerRequest: null, enableReadyCheck: false },
  'fail-fast': {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: 2_000,
    connectTimeout: 2_000,
    // Concurrent requests' commands leave in one write per tick: fewer syscalls here and in Redis.
    enableAutoPipelining: true,
  },
} satisfies Record<string, RedisOptions>;

/**
 * `blocking` connections (BullMQ workers) and `subscriber` ones (pub/sub only) wait for Redis forever;
 * request-path connections fail fast so an HTTP caller gets a 503 instead of a hang.
 */
export function createRedis(url: string, logger: Logger, mode: keyof typeof modes): Redis {
  const options: RedisOptions = modes[mode];
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
