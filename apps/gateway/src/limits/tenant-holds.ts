import { randomUUID } from 'node:crypto';
import { GantryError } from '@gantry/contracts';
import { redisKeys, type RedisKeys } from '@gantry/job-state';
import type { Redis } from 'ioredis';

/** The long-lived requests a tenant may hold open, each with its quota. */
export type HoldKind = 'event_streams' | 'wait_holds';

/**
 * A tenant's open holds of a kind are a sorted set of leases scored by their expiry on Redis's clock.
 * Taking one first drops the expired leases, so a gateway that died holding some gives them back once
 * they lapse; a live gateway renews its own well before.
 */
const acquire = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local held = redis.call('ZCARD', KEYS[1])
if held >= tonumber(ARGV[1]) then return held end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return -1
`;
const renew = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 0
`;

type Acquire = (key: string, limit: number, leaseMs: number, member: string) => Promise<number>;
type Renew = (key: string, leaseMs: number, ...members: string[]) => Promise<number>;

/** A taken hold; release it exactly once (a second call does nothing). */
export interface Hold {
  release(): void;
}

const noHold: Hold = { release: () => undefined };
const quotaVariable: Record<HoldKind, string> = {
  event_streams: 'GATEWAY_SSE_STREAMS_PER_TENANT',
  wait_holds: 'GATEWAY_WAIT_HOLDS_PER_TENANT',
};

/** Counts SSE streams and `Prefer: wait` requests per tenant across every gateway replica. */
export class TenantHolds {
  private readonly keys: RedisKeys;
  private readonly acquireScript: Acquire;
  private readonly renewScript: Renew;
  /** This gateway's live holds, by set key: renewed together. */
  private readonly live = new Map<string, Set<string>>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly limits: Record<HoldKind, number>,
    private readonly leaseMs = 30_000,
  ) {
    this.keys = redisKeys(prefix);
    redis.defineCommand('gantryAcquireHold', { numberOfKeys: 1, lua: acquire });
    redis.defineCommand('gantryRenewHolds', { numberOfKeys: 1, lua: renew });
    const commands = redis as unknown as { gantryAcquireHold: Acquire; gantryRenewHolds: Renew };
    this.acquireScript = commands.gantryAcquireHold.bind(redis);
    this.renewScript = commands.gantryRenewHolds.bind(redis);
    this.timer = setInterval(() => this.renewAll(), Math.max(100, Math.floor(leaseMs / 3)));
    this.timer.unref();
  }

  /** Takes one hold of `kind` for the tenant, or throws `QUOTA_EXCEEDED` naming the limit. */
  async acquire(tenant: string, kind: HoldKind): Promise<Hold> {
    const limit = this.limits[kind];
    if (limit === 0) return noHold;
    const key = this.keys.tenantHolds(tenant, kind);
    const member = randomUUID();
    const held = await this.acquireScript(key, limit, this.leaseMs, member);
    if (held >= 0) {
      throw new GantryError(
        'QUOTA_EXCEEDED',
        `tenant has ${held} ${kind.replace('_', ' ')} open, its limit`,
        {
          details: { limit: kind, value: limit, setting: quotaVariable[kind] },
        },
      );
    }
    let members = this.live.get(key);
    if (!members) this.live.set(key, (members = new Set()));
    members.add(member);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        members.delete(member);
        if (members.size === 0 && this.live.get(key) === members) this.live.delete(key);
        // A release that cannot reach Redis is healed by the lease: the hold lapses on its own.
        this.redis.zrem(key, member).catch(() => undefined);
      },
    };
  }

  close(): void {
    clearInterval(this.timer);
  }

  private renewAll(): void {
    for (const [key, members] of this.live) {
      if (members.size > 0) this.renewScript(key, this.leaseMs, ...members).catch(() => undefined);
    }
  }
}
