import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BenchRedis } from './bench-redis.js';
import { commandDelta, commandsPerJob, redisCommands, redisKeyBytes } from './redis-footprint.js';

// A real redis-server of the test's own (the readings are server-wide, and the shared one serves others).
describe.skipIf(!BenchRedis.available())('Redis footprint readings', () => {
  let server: BenchRedis;
  let redis: Redis;
  beforeAll(async () => {
    server = await BenchRedis.start();
    redis = new Redis(`${server.url}/2`);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  it('counts the commands run between two readings, a script and its own calls included', async () => {
    const before = await redisCommands(server.url);
    for (let i = 0; i < 10; i += 1) await redis.set(`k${i}`, 'v');
    await redis.eval("redis.call('get', 'k1'); return 1", 0);
    const after = await redisCommands(server.url);
    const perJob = commandsPerJob(commandDelta(before, after), 10);
    expect(perJob.top[0]).toEqual(['set', 1]);
    expect(perJob.scripts).toBeCloseTo(0.1);
    // 10 SET, 1 EVAL, the GET inside it, and the readings' own INFO and SELECT.
    expect(perJob.all).toBeGreaterThanOrEqual(1.2);
    expect(perJob.all).toBeLessThan(1.6);
  });

  it('sums what the keys of every database hold', async () => {
    const before = await redisKeyBytes(server.url);
    await redis.set('big', 'x'.repeat(10_000));
    const after = await redisKeyBytes(server.url);
    expect(after.keys - before.keys).toBe(1);
    expect(after.bytes - before.bytes).toBeGreaterThan(10_000);
    expect(after.bytes - before.bytes).toBeLessThan(12_000);
  });
});
