import type { Redis } from 'ioredis';
import { redisKeys } from './redis-keys.js';

/** One entry as Redis returns it; `fields` is null when the entry was deleted while still pending. */
export interface RawEntry {
  streamId: string;
  fields: string[] | null;
}

const recordersGroup = 'recorders';

function toEntries(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply)) return [];
  return reply.map((item) => {
    const [streamId, fields] = item as [string, string[] | null];
    return { streamId, fields: Array.isArray(fields) ? fields : null };
  });
}

/**
 * The reading side of the records stream, which the job-state scripts append to: the `recorders`
 * consumer group (every command names the stream and the group), and the job hashes an entry that
 * carries no state is completed from.
 */
export function recordsStream(prefix: string) {
  const keys = redisKeys(prefix);
  const key = keys.records;
  return {
    key,

    /** From id 0 so entries written before any recorder ever ran are recorded too. */
    async ensureGroup(redis: Redis): Promise<void> {
      try {
        await redis.xgroup('CREATE', key, recordersGroup, '0', 'MKSTREAM');
      } catch (error) {
        if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
      }
    },

    /** `from` '0' re-reads this consumer's own pending entries; '>' waits for new ones. */
    async read(redis: Redis, consumer: string, from: '0' | '>', count: number, blockMs: number) {
      const block = from === '>' ? ['BLOCK', blockMs] : [];
      const reply = await redis.call(
        'XREADGROUP',
        'GROUP',
        recordersGroup,
        consumer,
        'COUNT',
        count,
        ...block,
        'STREAMS',
        key,
        from,
      );
      if (!Array.isArray(reply) || reply.length === 0) return [];
      const [, entries] = reply[0] as [string, unknown];
      return toEntries(entries);
    },

    /** Acknowledged entries are deleted too: the stream only ever holds what is not yet in Postgres. */
    async settle(redis: Redis, streamIds: readonly string[]): Promise<void> {
      if (streamIds.length === 0) return;
      const results = await redis
        .multi()
        .xack(key, recordersGroup, ...streamIds)
        .xdel(key, ...streamIds)
        .exec();
      const failed = results?.find(([error]) => error !== null);
      if (!results || failed) throw failed?.[0] ?? new Error('XACK/XDEL transaction was aborted');
    },

    /**
     * Moves entries idle longer than minIdleMs (their consumer died, or hangs) to `consumer`, which
     * then reads them as its own pending entries. Returns how many moved.
     */
    async reclaim(redis: Redis, consumer: string, minIdleMs: number, limit: number): Promise<number> {
      let cursor = '0-0';
      let claimed = 0;
      do {
        const reply = (await redis.xautoclaim(
          key,
          recordersGroup,
          consumer,
          minIdleMs,
          cursor,
          'COUNT',
          limit,
          'JUSTID',
        )) as [string, string[]];
        cursor = reply[0];
        claimed += reply[1].length;
      } while (cursor !== '0-0' && claimed < limit);
      return claimed;
    },

    async pendingOf(redis: Redis, consumer: string): Promise<number> {
      const reply = (await redis.xpending(key, recordersGroup, '-', '+', 1, consumer)) as unknown[];
      return reply.length;
    },

    async deleteConsumer(redis: Redis, consumer: string): Promise<void> {
      await redis.xgroup('DELCONSUMER', key, recordersGroup, consumer);
    },

    /** The newest entry id, or null when the stream is empty. */
    async lastId(redis: Redis): Promise<string | null> {
      const reply = await redis.xrevrange(key, '+', '-', 'COUNT', 1);
      return reply[0]?.[0] ?? null;
    },

    /** The oldest entry id still in the stream at or before `upTo` (null: all of them are recorded). */
    async oldestId(redis: Redis, upTo = '+'): Promise<string | null> {
      const reply = await redis.xrange(key, '-', upTo, 'COUNT', 1);
      return reply[0]?.[0] ?? null;
    },

    /** The hashes of these jobs, in order (an empty object for a job whose hash is gone). */
    async jobHashes(redis: Redis, ids: readonly string[]): Promise<Record<string, string>[]> {
      if (ids.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hgetall(keys.job(id));
      const replies = (await pipeline.exec()) ?? [];
      return replies.map(([error, hash]) => {
        if (error) throw error;
        return hash as Record<string, string>;
      });
    },

    async pendingCount(redis: Redis): Promise<number> {
      const reply = (await redis.xpending(key, recordersGroup)) as [number, ...unknown[]];
      return Number(reply[0]);
    },
  };
}

export type RecordsStream = ReturnType<typeof recordsStream>;
