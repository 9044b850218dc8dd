import { Redis } from 'ioredis';

/** Commands the server has run so far, by name, from `INFO commandstats` (a script's own calls included). */
export async function redisCommands(redisUrl: string): Promise<Map<string, number>> {
  const redis = new Redis(redisUrl);
  try {
    const commandstats = await redis.info('commandstats');
    return new Map(
      [...commandstats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map(([, name, calls]) => [
        name ?? '',
        Number(calls),
      ]),
    );
  } finally {
    await redis.quit();
  }
}

/** Commands run between two readings, by name. */
export function commandDelta(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([name, calls]) => [name, calls - (before.get(name) ?? 0)]));
}

/** Commands per job: every command, the scripts among them, and the most frequent. */
export function commandsPerJob(
  delta: Map<string, number>,
  jobs: number,
): { all: number; scripts: number; top: [string, number][] } {
  const perJob = [...delta].map(([name, calls]): [string, number] => [name, calls / jobs]);
  const sum = (entries: [string, number][]) => entries.reduce((total, [, n]) => total + n, 0);
  return {
    all: sum(perJob),
    scripts: sum(perJob.filter(([name]) => /^(eval|evalsha|fcall)/.test(name))),
    top: perJob
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6),
  };
}

/**
 * What the keys of every database hold: `MEMORY USAGE <key> SAMPLES 0` (key, value and its table
 * entry, every element counted) summed over all keys. Unlike `INFO memory`, it leaves out client
 * buffers, pub/sub channels and the AOF buffer, which come and go with the load rather than with the
 * jobs kept. It reads every key: use it on the bench's own Redis, outside a measured window.
 */
export async function redisKeyBytes(redisUrl: string): Promise<{ bytes: number; keys: number }> {
  const redis = new Redis(redisUrl);
  let bytes = 0;
  let keys = 0;
  try {
    const keyspace = await redis.info('keyspace');
    for (const [, db] of keyspace.matchAll(/^db(\d+):/gm)) {
      await redis.select(Number(db));
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'COUNT', 1_000);
        cursor = next;
        const pipeline = redis.pipeline();
        for (const key of batch) pipeline.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
        for (const [error, usage] of (await pipeline.exec()) ?? []) {
          // A key that expired between SCAN and MEMORY USAGE answers null.
          if (!error && typeof usage === 'number') {
            bytes += usage;
            keys += 1;
          }
        }
      } while (cursor !== '0');
    }
    return { bytes, keys };
  } finally {
    await redis.quit();
  }
}

/** Commands by name, summed over several readings (passes). */
export function sumCommands(maps: readonly Map<string, number>[]): Map<string, number> {
  const total = new Map<string, number>();
  for (const map of maps) for (const [key, value] of map) total.set(key, (total.get(key) ?? 0) + value);
  return total;
}
