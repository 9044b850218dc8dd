import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

// patches/ioredis+*.patch (applied by the root's postinstall): ioredis gave every pipeline — one per
// autopipelined batch, so one or two per gateway request — a `length` getter of its own, a closure
// that V8 keeps through scavenges; the patch puts one getter on the prototype. If an install ran without
// the patch, this says so.
describe('the patched ioredis pipeline', () => {
  const redis = new Redis({ lazyConnect: true });
  afterAll(() => redis.disconnect());

  it('counts its commands through a getter it inherits, not one of its own', () => {
    const pipeline = redis.pipeline().set('a', '1').get('a');
    expect(Object.getOwnPropertyDescriptor(pipeline, 'length')).toBeUndefined();
    expect(pipeline.length).toBe(2);
  });
});
