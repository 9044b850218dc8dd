import { GantryError, WorkerAnnouncement } from '@gantry/contracts';
import { controlPlaneKeys, type ControlPlaneKeys } from '@gantry/job-state';
import type { Redis } from 'ioredis';
import type { ControlLogger } from './control-logger.js';

/** How long a drain request waits for its worker's next heartbeat when the message was missed. */
const DRAIN_REQUEST_TTL_MS = 10 * 60_000;

/**
 * The Redis side of the control plane. Each worker's announcement lives under its own key with
 * an expiry, so a worker that stops heartbeating (SIGKILL, frozen host) drops out by itself; a
 * sorted set of ids scored by expiry time lets readers list workers without SCAN, and entries
 * past their expiry are removed from it lazily. Pause flags and drain requests are persisted
 * here too: messages only nudge, and these keys are the truth an agent converges to.
 */
export class WorkerRegistry {
  readonly #redis: Redis;
  readonly #keys: ControlPlaneKeys;
  readonly #logger: ControlLogger;

  constructor(redis: Redis, prefix: string, logger: ControlLogger) {
    this.#redis = redis;
    this.#keys = controlPlaneKeys(prefix);
    this.#logger = logger;
  }

  /** Writes one heartbeat; answers whether a drain was requested for this worker. */
  async heartbeat(announcement: WorkerAnnouncement, ttlMs: number): Promise<{ drainRequested: boolean }> {
    const now = Date.now();
    const replies = await this.#redis
      .multi()
      .set(this.#keys.worker(announcement.id), JSON.stringify(announcement), 'PX', ttlMs)
      .zadd(this.#keys.workers, now + ttlMs, announcement.id)
      .zremrangebyscore(this.#keys.workers, '-inf', now)
      .exists(this.#keys.drain(announcement.id))
      .exec();
    return { drainRequested: results(replies)[3] === 1 };
  }

  /** Removes a worker at once (graceful exit), with any drain request left for it. */
  async remove(workerId: string): Promise<void> {
    results(
      await this.#redis
        .multi()
        .del(this.#keys.worker(workerId), this.#keys.drain(workerId))
        .zrem(this.#keys.workers, workerId)
        .exec(),
    );
  }

  async list(): Promise<WorkerAnnouncement[]> {
    const replies = await this.#redis
      .multi()
      .zremrangebyscore(this.#keys.workers, '-inf', Date.now())
      .zrange(this.#keys.workers, 0, -1)
      .exec();
    const ids = results(replies)[1] as string[];
    if (ids.length === 0) return [];
    const values = await this.#redis.mget(ids.map((id) => this.#keys.worker(id)));
    return values.flatMap((value, index) => {
      const announcement = value === null ? null : this.#parse(ids[index] ?? '', value);
      return announcement ? [announcement] : [];
    });
  }

  async get(workerId: string): Promise<WorkerAnnouncement | null> {
    const value = await this.#redis.get(this.#keys.worker(workerId));
    return value === null ? null : this.#parse(workerId, value);
  }

  async isPaused(queue: string): Promise<boolean> {
    return (await this.#redis.exists(this.#keys.paused(queue))) === 1;
  }

  /** Persists the flag with no expiry: a worker that starts later must start paused. */
  async setPaused(queue: string, paused: boolean): Promise<void> {
    if (paused) await this.#redis.set(this.#keys.paused(queue), new Date().toISOString());
    else await this.#redis.del(this.#keys.paused(queue));
  }

  /** Records a drain request for a live worker; answers false when no such worker is alive. */
  async requestDrain(workerId: string): Promise<boolean> {
    if ((await this.#redis.exists(this.#keys.worker(workerId))) === 0) return false;
    await this.#redis.set(this.#keys.drain(workerId), new Date().toISOString(), 'PX', DRAIN_REQUEST_TTL_MS);
    return true;
  }

  // An announcement written by another version of the code may not parse: skip it, loudly.
  #parse(workerId: string, value: string): WorkerAnnouncement | null {
    try {
      const parsed = WorkerAnnouncement.safeParse(JSON.parse(value));
      if (parsed.success) return parsed.data;
      this.#logger.warn(
        { worker_id: workerId, issues: parsed.error.issues },
        'skipping an invalid announcement',
      );
    } catch (error) {
      this.#logger.warn({ worker_id: workerId, err: error }, 'skipping an announcement that is not JSON');
    }
    return null;
  }
}

// MULTI answers [error, result] pairs, or null when the transaction was aborted.
function results(replies: [Error | null, unknown][] | null): unknown[] {
  if (replies === null) throw new GantryError('INTERNAL', 'Redis aborted a control-plane transaction');
  return replies.map(([error, result]) => {
    if (error) throw error;
    return result;
  });
}
