import type { Logger } from '@gantry/observability';
import type { Redis } from 'ioredis';

export type AppendFsync = 'always' | 'everysec' | 'no';

export interface RedisDurability {
  aof: boolean;
  /** null when CONFIG is not allowed (many managed Redis services). */
  appendfsync: AppendFsync | null;
  /** What accepted jobs a crash can take, in words. */
  lossWindow: string;
  problems: string[];
}

/** The accepted jobs a crash can lose under this configuration. */
function lossWindow(aof: boolean, appendfsync: AppendFsync | null): string {
  if (!aof) return 'every job accepted since the last RDB snapshot (AOF is off)';
  switch (appendfsync) {
    case 'always':
      return 'none: each write is on disk before Redis answers, so before the 202';
    case 'everysec':
      return 'up to 1 s of accepted jobs on a machine crash or power loss (a Redis process crash loses none)';
    case 'no':
      return 'as long as the OS keeps writes unflushed (often about 30 s) on a machine crash or power loss';
    case null:
      return 'unknown: CONFIG GET appendfsync is not allowed; ask the provider for its fsync policy';
  }
}

/**
 * Gantry's promise that an accepted job is never lost rests on Redis keeping writes (AOF, and how often it
 * fsyncs them) and never evicting keys. Managed Redis often forbids CONFIG, so AOF and eviction are read
 * from INFO, and only the fsync policy needs CONFIG GET.
 */
export async function checkRedisDurability(redis: Redis, logger: Logger): Promise<RedisDurability> {
  const info = await redis.info();
  const value = (key: string) => new RegExp(`^${key}:(.*)$`, 'm').exec(info)?.[1]?.trim();
  const aof = value('aof_enabled') === '1';
  const appendfsync = await redis
    .config('GET', 'appendfsync')
    .then((reply): AppendFsync | null => {
      const policy = (reply as string[])[1];
      return policy === 'always' || policy === 'everysec' || policy === 'no' ? policy : null;
    })
    .catch(() => null);
  const problems: string[] = [];
  if (!aof) problems.push('AOF is off (set appendonly yes): a Redis restart loses queued jobs');
  else if (appendfsync === 'no') {
    problems.push('appendfsync is no (set always): a machine crash loses what the OS had not flushed');
  }
  const policy = value('maxmemory_policy');
  if (policy && policy !== 'noeviction') {
    problems.push(
      `maxmemory-policy is ${policy} (set noeviction): Redis may evict jobs under memory pressure`,
    );
  }
  const durability = { aof, appendfsync, lossWindow: lossWindow(aof, appendfsync), problems };
  logger.info(
    { aof, appendfsync, loss_window: durability.lossWindow },
    `Redis durability: a crash can lose ${durability.lossWindow}`,
  );
  for (const problem of problems) logger.warn(`REDIS IS NOT DURABLE: ${problem}`);
  return durability;
}
