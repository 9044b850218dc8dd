import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { TenantHolds } from './tenant-holds.js';

// Real Redis; each TenantHolds stands for one gateway replica.
const prefix = `t-holds-${process.pid}-${Date.now()}`;
const redis = new Redis('redis://127.0.0.1:6379');
const limits = { event_streams: 2, wait_holds: 0 };

afterAll(async () => {
  const stale = await redis.keys(`${prefix}:*`);
  if (stale.length > 0) await redis.del(...stale);
  await redis.quit();
});

describe('tenant holds (leases in Redis)', () => {
  it('counts holds across replicas and refuses the one over the quota, naming the limit', async () => {
    const a = new TenantHolds(redis, prefix, limits);
    const b = new TenantHolds(redis, prefix, limits);
    try {
      const first = await a.acquire('acme', 'event_streams');
      await b.acquire('acme', 'event_streams');
      await expect(a.acquire('acme', 'event_streams')).rejects.toMatchObject({
        code: 'QUOTA_EXCEEDED',
        details: { limit: 'event_streams', value: 2 },
      });
      // Another tenant has its own count; a quota of 0 is no quota.
      await a.acquire('globex', 'event_streams');
      for (let i = 0; i < 5; i += 1) await a.acquire('acme', 'wait_holds');
      first.release();
      first.release();
      await delay(20);
      await b.acquire('acme', 'event_streams');
    } finally {
      a.close();
      b.close();
    }
  });

  it("gives a dead replica's holds back once their lease lapses, while a live one keeps renewing", async () => {
    const live = new TenantHolds(redis, prefix, limits, 2_000);
    const dying = new TenantHolds(redis, prefix, limits, 2_000);
    try {
      await live.acquire('initech', 'event_streams');
      await dying.acquire('initech', 'event_streams');
      dying.close(); // "killed": it neither renews nor releases
      await expect(live.acquire('initech', 'event_streams')).rejects.toMatchObject({
        code: 'QUOTA_EXCEEDED',
      });
      await delay(4_000);
      // The live replica's hold is still counted (renewed), the dead one's is gone.
      await live.acquire('initech', 'event_streams');
      await expect(live.acquire('initech', 'event_streams')).rejects.toMatchObject({
        code: 'QUOTA_EXCEEDED',
      });
    } finally {
      live.close();
      dying.close();
    }
  });
});
