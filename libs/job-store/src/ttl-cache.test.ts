import { describe, expect, it } from 'vitest';
import { TtlCache } from './ttl-cache.js';

describe('TtlCache', () => {
  it('forgets an entry once its TTL has passed, hit or not', () => {
    let now = 0;
    const cache = new TtlCache<string, number>(100, 10, () => now);
    cache.set('a', 1);
    now = 99;
    expect(cache.get('a')).toBe(1);
    now = 100;
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps a cached null apart from a miss', () => {
    const cache = new TtlCache<string, number | null>(1_000, 10);
    cache.set('a', null);
    expect(cache.get('a')).toBeNull();
    expect(cache.get('b')).toBeUndefined();
  });

  it('stays within its size by dropping the oldest entry', () => {
    const cache = new TtlCache<number, number>(1_000, 3);
    for (let i = 0; i < 5; i++) cache.set(i, i);
    expect(cache.size).toBe(3);
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(4)).toBe(4);
  });

  it('deletes the entries a predicate picks', () => {
    const cache = new TtlCache<string, string>(1_000, 10);
    cache.set('a', 'x');
    cache.set('b', 'y');
    cache.deleteWhere((value) => value === 'x');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe('y');
  });
});
