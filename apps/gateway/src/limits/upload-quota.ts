import { GantryError } from '@gantry/contracts';
import { redisKeys, type RedisKeys } from '@gantry/job-state';
import type { Redis } from 'ioredis';

const dayTtlSeconds = 2 * 86_400;
const today = () => new Date().toISOString().slice(0, 10);
/** Until the next UTC midnight, when the day's allowance starts over. */
const secondsToTomorrow = () => Math.ceil((86_400_000 - (Date.now() % 86_400_000)) / 1_000);

/**
 * Bytes uploaded per tenant per UTC day, counted in Redis across replicas. An upload may take what is
 * left of the day's allowance; uploads running at once may each take it, so a day can end a little
 * over (by at most the uploads in flight at its last moment).
 */
export class UploadQuota {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    /** 0: no quota. */
    readonly bytesPerDay: number,
  ) {
    this.keys = redisKeys(prefix);
  }

  /** Bytes the tenant may still upload today (Infinity without a quota); throws when none are left. */
  async allowance(tenant: string): Promise<number> {
    if (this.bytesPerDay === 0) return Number.POSITIVE_INFINITY;
    const used = Number((await this.redis.get(this.keys.uploadBytes(tenant, today()))) ?? 0);
    const left = this.bytesPerDay - used;
    if (left <= 0) throw this.exceeded();
    return left;
  }

  async add(tenant: string, bytes: number): Promise<void> {
    if (this.bytesPerDay === 0 || bytes === 0) return;
    const key = this.keys.uploadBytes(tenant, today());
    await this.redis.multi().incrby(key, bytes).expire(key, dayTtlSeconds).exec();
  }

  exceeded(): GantryError {
    return new GantryError('QUOTA_EXCEEDED', `the tenant's upload bytes for today are used up`, {
      details: {
        limit: 'upload_bytes_per_day',
        value: this.bytesPerDay,
        setting: 'GATEWAY_UPLOAD_BYTES_PER_DAY',
        retry_after_s: secondsToTomorrow(),
      },
    });
  }
}
