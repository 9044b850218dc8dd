import { once } from 'node:events';
import { createLogger } from '@gantry/observability';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedis } from './create-redis.js';

// The real Redis; channels of this file's own (pid and time), so nothing else hears them.
const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const logger = createLogger('create-redis-test', 'silent');
const opened: Redis[] = [];
afterEach(() => {
  opened.splice(0).forEach((connection) => connection.disconnect());
});

const channel = (name: string) => `t-create-redis-${process.pid}-${Date.now()}-${name}`;

/** Subscribes `subscriber` to `name` at its next `connect` event: the handshake is still under way then. */
const subscribeAtConnect = (subscriber: Redis, name: string): Promise<unknown> =>
  once(subscriber, 'connect').then(() => subscriber.subscribe(name));

/** How many of ten messages published to `name`, 20 ms apart, the subscriber hears. */
async function heard(subscriber: Redis, publisher: Redis, name: string): Promise<number> {
  let count = 0;
  const listener = (from: string) => {
    if (from === name) count += 1;
  };
  subscriber.on('message', listener);
  for (let i = 0; i < 10; i += 1) {
    await publisher.publish(name, String(i));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  subscriber.off('message', listener);
  return count;
}

describe("createRedis(…, 'subscriber')", () => {
  // ioredis sends SUBSCRIBE at once while it connects, then its ready check's INFO, which a connection
  // in subscriber mode refuses: it reconnects without the subscription (ioredis#2037).
  it('keeps a subscription made while it connects, at start and after a reconnect', async () => {
    const subscriber = createRedis(url, logger, 'subscriber');
    const publisher = new Redis(url);
    opened.push(subscriber, publisher);
    const first = channel('first');
    await subscribeAtConnect(subscriber, first);
    expect(await heard(subscriber, publisher, first)).toBe(10);

    const second = channel('second');
    // Back once ready: ioredis subscribes its channels again then.
    const back = Promise.all([subscribeAtConnect(subscriber, second), once(subscriber, 'ready')]);
    subscriber.stream.destroy();
    await back;
    expect(await heard(subscriber, publisher, first)).toBe(10);
    expect(await heard(subscriber, publisher, second)).toBe(10);
  });
});
