/**
 * Every Redis key and channel of jobs and the gateway, derived from one prefix so installations and
 * tests never collide (the control plane's are in control-plane-keys.ts).
 */
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
    /** Held by the gateway replica deleting blobs past retention, so one sweeps at a time. */
    blobSweeperLock: `${prefix}:blob-sweeper:lock`,
    /** Held by the gateway replica ending the jobs past their maximum lifetime. */
    overdueSweeperLock: `${prefix}:overdue-sweeper:lock`,
    /** Held by the gateway replica pruning PostgreSQL's job records past retention. */
    jobRecordPrunerLock: `${prefix}:job-record-pruner:lock`,
    /** Fair share of a queue: its virtual time, highest round given out and priority base (a hash). */
    fairShare: (queue: string) => `${prefix}:fair:${queue}`,
    /** A tenant's flows in a queue: the last round given to each of its priorities (a hash). */
    fairShareFlows: (queue: string, tenant: string) => `${prefix}:fair:${queue}:tenant:${tenant}`,
    /** A BullMQ queue's own name for itself (its keys' stem), as a flow's parent names its queue. */
    bullQueue: (queue: string) => `${prefix}:bull:${queue}`,
    /** BullMQ's own keys that the fair-share script reads and, when it rebases priorities, rewrites. */
    bullPrioritized: (queue: string) => `${prefix}:bull:${queue}:prioritized`,
    bullJob: (queue: string, id: string) => `${prefix}:bull:${queue}:${id}`,
    /** The ids of a tenant's jobs that are queued or running (its quota); the last sweep's marker. */
    tenantActiveJobs: (tenant: string) => `${prefix}:active:${tenant}`,
    tenantActiveSweep: (tenant: string) => `${prefix}:active:${tenant}:swept`,
    /** Token bucket of one API key (the gateway's rate limit, shared by every replica). */
    rateLimit: (apiKeyId: string) => `${prefix}:rate:${apiKeyId}`,
    /** Failed authentications from one client address in the current window. */
    authFailures: (address: string) => `${prefix}:auth-fail:${address}`,
    /** An API key (by SHA-256) no replica could find: refused without a database query for a while. */
    unknownApiKey: (keySha256: string) => `${prefix}:unknown-key:${keySha256}`,
    /** An API key (by SHA-256) some replica verified lately: looked up even from a refused address. */
    knownApiKey: (keySha256: string) => `${prefix}:known-key:${keySha256}`,
    /** A tenant's open holds of one kind (SSE streams, `Prefer: wait`): a sorted set of leases by expiry. */
    tenantHolds: (tenant: string, kind: string) => `${prefix}:holds:${tenant}:${kind}`,
    /** Bytes a tenant uploaded on one UTC day (`YYYY-MM-DD`). */
    uploadBytes: (tenant: string, day: string) => `${prefix}:upload-bytes:${tenant}:${day}`,
    /** Pub/sub: the id of an API key revoked or changed, so every gateway drops it from its cache. */
    apiKeysChannel: `${prefix}:api-keys`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
