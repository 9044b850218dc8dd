import { GantryError } from '@gantry/contracts';
import { type JobEvent, parseJobEventMessage, type RedisKeys, redisKeys } from '@gantry/job-state';
import type { Redis } from 'ioredis';

type Listener = (event: JobEvent) => void;

interface Follow {
  listeners: Set<Listener>;
  subscribed: Promise<unknown>;
}

/**
 * The job events this gateway follows, for its SSE streams and `Prefer: wait` requests. Each job has
 * its own channel, subscribed while someone here follows it, so a gateway never hears the events of
 * the many jobs nobody asked it about.
 */
export class JobEventsHub {
  private readonly follows = new Map<string, Follow>();
  private readonly keys: RedisKeys;

  constructor(
    private readonly subscriber: Redis,
    prefix: string,
    /** How long a new subscription may take before the request is answered 503. */
    private readonly subscribeTimeoutMs = 2_000,
  ) {
    this.keys = redisKeys(prefix);
    subscriber.on('message', (channel: string, message: string) => {
      const follow = this.follows.get(channel);
      const event = follow ? parseJobEventMessage(message) : null;
      if (!follow || !event) return;
      for (const listener of follow.listeners) listener(event);
    });
  }

  /**
   * Resolves once the job's channel is subscribed, so every event published from then on reaches the
   * listener; the caller reads what came before from the job's event stream. Returns the unsubscribe.
   */
  async on(jobId: string, listener: Listener): Promise<() => void> {
    const channel = this.keys.jobEventsChannel(jobId);
    let follow = this.follows.get(channel);
    if (!follow) {
      // One connection, so a later SUBSCRIBE of this channel always lands after an earlier UNSUBSCRIBE.
      follow = { listeners: new Set(), subscribed: this.subscriber.subscribe(channel) };
      follow.subscribed.catch(() => undefined);
      this.follows.set(channel, follow);
    }
    const { listeners, subscribed } = follow;
    listeners.add(listener);
    const off = () => {
      listeners.delete(listener);
      if (listeners.size > 0 || this.follows.get(channel)?.listeners !== listeners) return;
      this.follows.delete(channel);
      this.subscriber.unsubscribe(channel).catch(() => undefined);
    };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new GantryError('QUEUE_UNAVAILABLE', 'Redis did not confirm the subscription in time')),
        this.subscribeTimeoutMs,
      );
    });
    try {
      await Promise.race([subscribed, timedOut]);
    } catch (error) {
      off();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return off;
  }

  /** Jobs followed now. */
  get size(): number {
    return this.follows.size;
  }

  async close(): Promise<void> {
    await this.subscriber.quit().catch(() => undefined);
  }
}
