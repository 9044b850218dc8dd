import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

// patches/ioredis+*.patch (applied by the root's postinstall). ioredis made every pipeline — one per
// autopipelined batch, so one or two per gateway request — (1) a `length` getter of its own, a closure
// that V8 keeps through scavenges, and (2) a copy of each of the client's scripts and added commands,
// some fifty with BullMQ's (~15 µs per pipeline). The patch puts the getter on the prototype and makes
// a client's pipelines as a subclass whose prototype holds its commands. If an install ran without the
// patch, this says so; the scripts run on the real Redis.
describe('the patched ioredis pipeline', () => {
  const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  const key = `gantry:test:pipeline-patch:${process.pid}`;
  afterAll(async () => {
    await redis.del(key);
    redis.disconnect();
  });

  it('counts its commands through a getter it inherits, not one of its own', () => {
    const pipeline = redis.pipeline().set('a', '1').get('a');
    expect(Object.getOwnPropertyDescriptor(pipeline, 'length')).toBeUndefined();
    expect(pipeline.length).toBe(2);
  });

  it("inherits the client's scripts, and runs the one defined last under a name", async () => {
    redis.defineCommand('patchProbe', { numberOfKeys: 1, lua: "return redis.call('SET', KEYS[1], 'first')" });
    const pipeline = redis.pipeline() as ReturnType<Redis['pipeline']> & Record<string, unknown>;
    expect(Object.getOwnPropertyNames(pipeline)).not.toContain('patchProbe');
    expect(typeof pipeline['patchProbe']).toBe('function');
    const run = (through: ReturnType<Redis['pipeline']>) =>
      (through as unknown as { patchProbe(key: string): typeof through }).patchProbe(key).get(key).exec();
    expect((await run(redis.pipeline()))?.[1]).toEqual([null, 'first']);

    redis.defineCommand('patchProbe', {
      numberOfKeys: 1,
      lua: "return redis.call('SET', KEYS[1], 'second')",
    });
    expect((await run(redis.pipeline()))?.[1]).toEqual([null, 'second']);
    expect((await run(redis.multi()))?.[1]).toEqual([null, 'second']);
  });

  it('gives a pipeline made directly its own copy of the commands, as before', () => {
    redis.defineCommand('patchDirect', { numberOfKeys: 0, lua: 'return 1' });
    // ioredis' Pipeline class: what the client's own subclass extends.
    const Pipeline = Object.getPrototypeOf(redis.pipeline().constructor) as new (client: Redis) => object;
    const pipeline = new Pipeline(redis);
    expect(Object.getOwnPropertyNames(pipeline)).toContain('patchDirect');
  });
});
