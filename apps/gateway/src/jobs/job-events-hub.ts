import { type JobEvent, parseJobEventMessage, redisKeys } from '@gantry/queue-runtime';
import type { Redis } from 'ioredis';

type Listener = (event: JobEvent) => void;

/**
 * One Redis subscription per gateway process, fanned out to the SSE streams and `Prefer: wait`
 * requests that follow a job. Listeners are per job id, so a message costs one map lookup.
 */
export class JobEventsHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly channel: string;

  constructor(
    private readonly subscriber: Redis,
    prefix: string,
  ) {
    this.channel = redisKeys(prefix).eventsChannel;
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      // Every gateway hears every job's events but follows few jobs: decode only the followed ones.
      const listeners = this.listeners.get(message.slice(0, message.indexOf('\n')));
      if (!listeners) return;
      const event = parseJobEventMessage(message);
      if (!event) return;
      for (const listener of listeners) listener(event);
    });
  }

  async start(): Promise<void> {
    await this.subscriber.subscribe(this.channel);
  }

  /** Returns the unsubscribe function. */
  on(jobId: string, listener: Listener): () => void {
    let set = this.listeners.get(jobId);
    if (!set) {
      set = new Set();
      this.listeners.set(jobId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(jobId);
    };
  }

  get size(): number {
    return this.listeners.size;
  }

  async close(): Promise<void> {
    await this.subscriber.quit().catch(() => undefined);
  }
}
