import type { ApiKeyRepository } from '@gantry/job-store';
import { redisKeys } from '@gantry/job-state';
import type { Redis } from 'ioredis';

/**
 * Revoked or changed keys, told to every gateway over Redis pub/sub so each drops the key from its cache
 * at once (not after the cache TTL). A subscriber that reconnects may have missed news: it drops every
 * cached key, and the next request of each reads PostgreSQL again.
 */
export class ApiKeyChanges {
  private readonly channel: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.channel = redisKeys(prefix).apiKeysChannel;
  }

  async publish(apiKeyId: string): Promise<void> {
    await this.redis.publish(this.channel, apiKeyId);
  }

  /** Subscribes `subscriber` (a connection in subscriber mode, shared with others) for `keys`. */
  async listen(subscriber: Redis, keys: ApiKeyRepository): Promise<void> {
    subscriber.on('message', (channel: string, apiKeyId: string) => {
      if (channel === this.channel) keys.forget(apiKeyId);
    });
    let connectedBefore = subscriber.status === 'ready';
    subscriber.on('ready', () => {
      if (connectedBefore) keys.forget();
      connectedBefore = true;
    });
    await subscriber.subscribe(this.channel);
  }
}
