import { redisKeys } from '@gantry/job-state';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** The BullMQ queue of webhook and e-mail deliveries, apart from the job queues. */
export const notificationQueueName = 'notifications';

export interface DeliveryJob {
  notification_id: string;
}

export interface RetrySchedule {
  /** The first retry's delay; each next one doubles. */
  baseMs: number;
  /** Attempts stop once the next retry would start after this long. */
  windowSeconds: number;
}

/** Attempts of an exponential schedule whose last starts within the window: base·(2^(n−1) − 1) ≤ window. */
export function attemptsWithin({ baseMs, windowSeconds }: RetrySchedule): number {
  let attempts = 1;
  let elapsedMs = baseMs;
  while (elapsedMs <= windowSeconds * 1_000 && attempts < 50) {
    attempts += 1;
    elapsedMs += baseMs * 2 ** (attempts - 1);
  }
  return attempts;
}

/** Adds deliveries: one BullMQ job per notification, retried with exponential backoff for the window. */
export class NotificationQueue {
  private readonly queue: Queue<DeliveryJob>;
  private readonly attempts: number;

  constructor(
    redis: Redis,
    prefix: string,
    private readonly retry: RetrySchedule,
  ) {
    this.queue = new Queue<DeliveryJob>(notificationQueueName, {
      connection: redis,
      prefix: redisKeys(prefix).bullPrefix,
      streams: { events: { maxLen: 1_000 } },
    });
    this.queue.on('error', () => undefined);
    this.attempts = attemptsWithin(retry);
  }

  /**
   * A first delivery takes the notification's id as its BullMQ id, so a batch read twice queues it once;
   * a manual redelivery gets an id of its own, beside any delivery still retrying.
   */
  async deliver(ids: readonly string[], redelivery = false): Promise<void> {
    if (ids.length === 0) return;
    await this.queue.addBulk(
      ids.map((id) => ({
        name: 'deliver',
        data: { notification_id: id },
        opts: {
          jobId: redelivery ? `${id}-redelivery-${Date.now()}` : id,
          attempts: this.attempts,
          backoff: { type: 'exponential', delay: this.retry.baseMs },
          // The delivery log (PostgreSQL) keeps every outcome.
          removeOnComplete: true,
          removeOnFail: true,
        },
      })),
    );
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
