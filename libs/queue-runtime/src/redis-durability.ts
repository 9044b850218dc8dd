import type { Logger } from '@gantry/observability';
import type { Redis } from 'ioredis';

/**
 * Gantry's promise that an accepted job is never lost rests on Redis keeping writes (AOF) and
 * never evicting keys. Managed Redis often forbids CONFIG, so this reads INFO instead.
 */
export async function checkRedisDurability(redis: Redis, logger: Logger): Promise<string[]> {
  const info = await redis.info();
  const value = (key: string) => new RegExp(`^${key}:(.*)$`, 'm').exec(info)?.[1]?.trim();
  const problems: string[] = [];
  if (value('aof_enabled') !== '1')
    problems.push('AOF is off (set appendonly yes): a Redis restart loses queued jobs');
  const policy = value('maxmemory_policy');
  if (policy && policy !== 'noeviction') {
    problems.push(
      `maxmemory-policy is ${policy} (set noeviction): Redis may evict jobs under memory pressure`,
    );
  }
  for (const problem of problems) logger.warn(`REDIS IS NOT DURABLE: ${problem}`);
  return problems;
}
