import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

// Real Redis; two connections stand for two gateway replicas sharing one bucket per key.
const prefix = `t-rate-${process.pid}-${Date.now()}`;
const first = new Redis('redis://127.0.0.1:6379');
const second = new Redis('redis://127.0.0.1:6379');
const replicas = [new RateLimiter(first, prefix), new RateLimiter(second, prefix)] as const;
const replica = (i: number) => replicas[i % 2 === 0 ? 0 : 1];

afterAll(async () => {
  const stale = await first.keys(`${prefix}:*`);
  if (stale.length > 0) await first.del(...stale);
  await Promise.all([first.quit(), second.quit()]);
});

describe('rate limiter (token bucket in Redis)', () => {
  it('lets a burst through across replicas, then refuses with the wait until the next token', async () => {
    const started = Date.now();
    const decisions = [];
    for (let i = 0; i < 40 && decisions.at(-1)?.allowed !== false; i += 1) {
      decisions.push(await replica(i).takeToken('key-a', 2, 10));
    }
    // One bucket for both: the burst of 10 plus what refilled meanwhile (two buckets would pass 20).
    const allowed = decisions.filter((d) => d.allowed);
    expect(allowed.length).toBeGreaterThanOrEqual(10);
    expect(allowed.length).toBeLessThanOrEqual(10 + Math.floor(((Date.now() - started) / 1_000) * 2));
    expect(allowed[0]?.remaining).toBe(9);
    const refused = decisions.at(-1);
    expect(refused).toMatchObject({ allowed: false, limit: 10, remaining: 0, ratePerSecond: 2 });
    // 2 tokens/s: the next one is at most 500 ms away, the bucket full again within 5 s.
    expect(refused?.retryAfterMs).toBeGreaterThan(0);
    expect(refused?.retryAfterMs).toBeLessThanOrEqual(500);
    expect(refused?.resetMs).toBeLessThanOrEqual(5_000);
    // Other keys have buckets of their own.
    expect((await replicas[0].takeToken('key-b', 2, 10)).allowed).toBe(true);
  });

  it('refills at the rate, and forgets a bucket once it would be full', async () => {
    let refused = false;
    for (let i = 0; i < 20 && !refused; i += 1)
      refused = !(await replica(i).takeToken('key-c', 1, 3)).allowed;
    expect(refused).toBe(true);
    await delay(1_100);
    expect((await replicas[1].takeToken('key-c', 1, 3)).allowed).toBe(true);
    const ttl = await first.pttl(`${prefix}:rate:key-c`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(3 * 1_000 + 1_000);
  });
});
