import { hash } from 'node:crypto';
import { redisKeys, type RedisKeys } from '@gantry/job-state';
import type { Redis } from 'ioredis';

/** How long an unknown key's hash is remembered as unknown, by every replica. */
const unknownKeyTtlMs = 60_000;
/** How long a verified key's hash is remembered as worth a lookup, by every replica. */
const knownKeyTtlMs = 3_600_000;
const windowMs = 60_000;

/**
 * A failed authentication costs no database query: unknown keys are remembered (by hash, in Redis, for
 * every replica) and an address that failed too often in the last minute is refused before any lookup.
 * Only a key that no replica has seen yet reaches PostgreSQL, and at most `failuresPerMinute` of those
 * per address. A key some replica verified within the hour is still looked up from a refused address:
 * clients behind one NAT or proxy share an address, and one of them guessing must not lock the others
 * out. Being known only earns the lookup (a revoked key fails it), and only a valid key becomes known.
 */
const check = `
local failures = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
return { failures, ttl, redis.call('EXISTS', KEYS[2]), redis.call('EXISTS', KEYS[3]) }
`;
const fail = `
local failures = redis.call('INCR', KEYS[1])
if failures == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if KEYS[2] ~= '' then redis.call('SET', KEYS[2], '1', 'PX', ARGV[2]) end
return failures
`;

type Check = (
  failures: string,
  unknownKey: string,
  knownKey: string,
) => Promise<[number, number, number, number]>;
type Fail = (failures: string, unknownKey: string, windowMs: number, unknownTtlMs: number) => Promise<number>;

export type AuthVerdict = { refused: false; knownUnknown: boolean } | { refused: true; retryAfterMs: number };

export class AuthGuard {
  private readonly keys: RedisKeys;
  private readonly check: Check;
  private readonly fail: Fail;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    /** Failed attempts per address per minute (0: no limit, and no unknown-key memory either). */
    readonly failuresPerMinute: number,
  ) {
    this.keys = redisKeys(prefix);
    redis.defineCommand('gantryAuthCheck', { numberOfKeys: 3, lua: check });
    redis.defineCommand('gantryAuthFail', { numberOfKeys: 2, lua: fail });
    const commands = redis as unknown as { gantryAuthCheck: Check; gantryAuthFail: Fail };
    this.check = commands.gantryAuthCheck.bind(redis);
    this.fail = commands.gantryAuthFail.bind(redis);
  }

  /** Before a key is looked up in the database: is this address refused, is this key known to be bad? */
  async before(address: string, key: string): Promise<AuthVerdict> {
    if (this.failuresPerMinute === 0) return { refused: false, knownUnknown: false };
    const keySha256 = hash('sha256', key);
    const [failures, ttlMs, unknown, known] = await this.check(
      this.keys.authFailures(address),
      this.keys.unknownApiKey(keySha256),
      this.keys.knownApiKey(keySha256),
    );
    if (failures >= this.failuresPerMinute && known === 0)
      return { refused: true, retryAfterMs: ttlMs > 0 ? ttlMs : windowMs };
    return { refused: false, knownUnknown: unknown === 1 };
  }

  /** Remembers a key that passed verification, so that a refused address still gets it looked up. */
  async verified(key: string): Promise<void> {
    if (this.failuresPerMinute === 0) return;
    await this.redis.set(this.keys.knownApiKey(hash('sha256', key)), '1', 'PX', knownKeyTtlMs);
  }

  /** Counts a failed attempt of the address, and remembers the key as unknown (when it had the right shape). */
  async failed(address: string, key: string | null): Promise<void> {
    if (this.failuresPerMinute === 0) return;
    await this.fail(
      this.keys.authFailures(address),
      key === null ? '' : this.unknownKey(key),
      windowMs,
      unknownKeyTtlMs,
    );
  }

  private unknownKey(key: string): string {
    return this.keys.unknownApiKey(hash('sha256', key));
  }
}
