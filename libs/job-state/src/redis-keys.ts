/** Every Redis key and channel Gantry uses, derived from one prefix so installations and tests never collide. */
export function redisKeys(prefix: string) {
  return {
    prefix,
    bullPrefix: `${prefix}:bull`,
    job: (id: string) => `${prefix}:job:${id}`,
    jobEvents: (id: string) => `${prefix}:job:${id}:events`,
    records: `${prefix}:records`,
    /** Pub/sub per job: a gateway hears only the jobs it follows (SSE, `Prefer: wait`). */
    jobEventsChannel: (id: string) => `${prefix}:events:${id}`,
    idempotency: (tenant: string, keyHash: string) => `${prefix}:idem:${tenant}:${keyHash}`,
    /** Sorted set of queued jobs' start deadlines (score: ms since the epoch), swept by the gateways. */
    deadlines: `${prefix}:deadlines`,
    /** Held for a moment by the gateway replica sweeping the deadlines, so one sweeps at a time. */
    deadlineSweeper: `${prefix}:deadlines:sweeper`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
