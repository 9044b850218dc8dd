import { redisKeys, type RedisKeys } from '@gantry/job-state';
import type { Redis } from 'ioredis';

/** One request's answer from a key's token bucket. */
export interface RateDecision {
  allowed: boolean;
  ratePerSecond: number;
  /** The bucket's size (the burst): what `RateLimit-Limit` reports. */
  limit: number;
  remaining: number;
  /** Until the next token, when refused. */
  retryAfterMs: number;
  /** Until the bucket is full again. */
  resetMs: number;
}

/**
 * A token bucket in one hash (`t`: last refill in ms, `n`: tokens), refilled and taken from in one script
 * on Redis's own clock, so every replica shares one bucket per key and no two clocks disagree. A missing
 * bucket is a full one: the key expires once it would have refilled.
 */
const takeToken = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 't', 'n')
local tokens = burst
if state[1] and state[2] then
  tokens = math.min(burst, tonumber(state[2]) + math.max(0, now - tonumber(state[1])) * rate / 1000)
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 't', tostring(now), 'n', tostring(tokens))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
local wait = 0
if allowed == 0 then wait = math.ceil((1 - tokens) * 1000 / rate) end
return { allowed, math.floor(tokens), wait, math.ceil((burst - tokens) * 1000 / rate) }
`;

type TakeToken = (key: string, rate: number, burst: number) => Promise<[number, number, number, number]>;

/** Rate limits per API key, shared by every gateway replica through Redis: one script call per request. */
export class RateLimiter {
  private readonly keys: RedisKeys;
  private readonly take: TakeToken;

  constructor(redis: Redis, prefix: string) {
    this.keys = redisKeys(prefix);
    redis.defineCommand('gantryTakeToken', { numberOfKeys: 1, lua: takeToken });
    const command = (redis as unknown as { gantryTakeToken: TakeToken }).gantryTakeToken;
    this.take = command.bind(redis);
  }

  /** Takes one token of the key's bucket; `ratePerSecond` > 0 (a rate of 0 is no limit: do not call). */
  async takeToken(apiKeyId: string, ratePerSecond: number, burst: number): Promise<RateDecision> {
    const size = Math.max(1, burst);
    const [allowed, remaining, retryAfterMs, resetMs] = await this.take(
      this.keys.rateLimit(apiKeyId),
      ratePerSecond,
      size,
    );
    return { allowed: allowed === 1, ratePerSecond, limit: size, remaining, retryAfterMs, resetMs };
  }
}
