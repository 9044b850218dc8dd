import { GantryError } from '@gantry/contracts';
import { describe, expect, it } from 'vitest';
import { parseRedisUrl } from './parse-redis-url.js';

describe('parseRedisUrl', () => {
  it('reads host and port, with database 0 by default', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379')).toEqual({ host: '127.0.0.1', port: 6379, db: 0 });
  });

  it('defaults the port to 6379', () => {
    expect(parseRedisUrl('redis://redis.internal')).toEqual({ host: 'redis.internal', port: 6379, db: 0 });
  });

  it('reads credentials (percent-decoded) and the database number', () => {
    expect(parseRedisUrl('redis://gantry:p%40ss%2Fword@cache:6380/3')).toEqual({
      host: 'cache',
      port: 6380,
      db: 3,
      username: 'gantry',
      password: 'p@ss/word',
    });
  });

  it('takes a password without a user name', () => {
    expect(parseRedisUrl('redis://:secret@cache:6379/0')).toEqual({
      host: 'cache',
      port: 6379,
      db: 0,
      password: 'secret',
    });
  });

  it('strips the brackets of an IPv6 host and turns on TLS for rediss://', () => {
    expect(parseRedisUrl('rediss://[::1]:6390')).toEqual({ host: '::1', port: 6390, db: 0, tls: {} });
  });

  it.each([
    ['not a URL', 'hunter2 at 127.0.0.1'],
    ['a foreign scheme', 'http://user:hunter2@127.0.0.1:6379'],
    ['a database that is not a number', 'redis://user:hunter2@127.0.0.1:6379/cache'],
    ['a negative database', 'redis://user:hunter2@127.0.0.1:6379/-1'],
  ])('rejects %s without echoing the URL', (_case, url) => {
    const attempt = () => parseRedisUrl(url);
    expect(attempt).toThrow(GantryError);
    expect(attempt).toThrow(/Invalid Redis URL/);
    expect(attempt).not.toThrow(/hunter2/);
  });
});
