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
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
