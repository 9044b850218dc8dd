import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** The real Redis the tests run against, and a key prefix of their own. */
export function testRedis(name: string) {
  const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const prefix = `gantry-test:${name}:${randomUUID().slice(0, 8)}`;
  return {
    redisUrl,
    prefix,
    /** A plain client, for looking at (or writing) the keys behind the control plane's back. */
    open: () => new Redis(redisUrl),
    /** Deletes every key under the prefix. */
    async cleanup(): Promise<void> {
      const redis = new Redis(redisUrl);
      try {
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length > 0) await redis.del(keys);
      } finally {
        await redis.quit();
      }
    },
  };
}
