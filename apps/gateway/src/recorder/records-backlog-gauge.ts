import { Gauge, type Registry } from '@gantry/observability';
import { redisKeys } from '@gantry/job-state';
import type { Redis } from 'ioredis';

/**
 * `gantry_recorder_backlog_entries`: status changes written to Redis and not yet in PostgreSQL. The recorders
 * delete what they have written, so the records stream's length is the backlog, the same from every gateway;
 * unlike the lag of the last batch, it grows when no recorder writes at all.
 */
export function registerRecordsBacklogGauge(registry: Registry, redis: Redis, prefix: string): void {
  const key = redisKeys(prefix).records;
  new Gauge({
    name: 'gantry_recorder_backlog_entries',
    help: 'Job status changes in Redis not yet recorded in PostgreSQL',
    registers: [registry],
    async collect() {
      // With Redis away the last value stays: the Redis alerts say why.
      const length = await redis.xlen(key).catch(() => null);
      if (length !== null) this.set(length);
    },
  });
}
