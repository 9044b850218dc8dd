import { GantryError } from '@gantry/contracts';
import { redisKeys } from '@gantry/job-state';
import type { Logger } from '@gantry/observability';
import { createRedis } from '@gantry/queue-runtime';
import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Schedule, ScheduleStore } from './schedule-store.js';

/** The BullMQ queue whose job schedulers time every schedule, apart from the job queues. */
const scheduleQueueName = 'schedules';

interface TickJob {
  schedule_id: string;
}

/**
 * Arms and disarms schedules as BullMQ job schedulers (one per schedule, by its id): BullMQ keeps one
 * delayed job per scheduler in Redis, so however many gateways work the queue, a tick is one job, taken by
 * one of them.
 */
export class Scheduler {
  private readonly queue: Queue<TickJob>;

  constructor(redis: Redis, prefix: string) {
    this.queue = new Queue<TickJob>(scheduleQueueName, {
      connection: redis,
      prefix: redisKeys(prefix).bullPrefix,
      streams: { events: { maxLen: 1_000 } },
    });
    this.queue.on('error', () => undefined);
  }

  async arm(schedule: Schedule): Promise<void> {
    await this.queue.upsertJobScheduler(
      schedule.id,
      schedule.cron === null
        ? { every: (schedule.every_s ?? 60) * 1_000 }
        : { pattern: schedule.cron, tz: schedule.timezone },
      {
        name: 'tick',
        data: { schedule_id: schedule.id },
        opts: {
          attempts: 3,
          backoff: { type: 'exponential', delay: 1_000 },
          removeOnComplete: true,
          removeOnFail: true,
        },
      },
    );
  }

  async disarm(id: string): Promise<void> {
    await this.queue.removeJobScheduler(id);
  }

  /** When the schedule ticks next, if it is armed. */
  async nextRunAt(id: string): Promise<string | null> {
    const scheduler = await this.queue.getJobScheduler(id);
    return scheduler?.next ? new Date(scheduler.next).toISOString() : null;
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

export interface ScheduleWorkerOptions {
  redisUrl: string;
  prefix: string;
  logger: Logger;
  store: ScheduleStore;
  /** Runs the schedule's target for the tick due at `tickMs` (idempotently: a tick may be retried). */
  run: (schedule: Schedule, tickMs: number) => Promise<{ jobId: string }>;
  /** A tick taken this long after it was due was missed (nothing ran meanwhile): the misfire policy decides. */
  misfireGraceMs: number;
}

/**
 * Works the ticks, in every gateway replica. BullMQ adds a scheduler's next tick only once the current one
 * is taken, so ticks missed while no gateway ran come back as one late tick: run once, or skipped (`skip`).
 */
export function startScheduleWorker(options: ScheduleWorkerOptions): { close(): Promise<void> } {
  const { store, logger } = options;
  const worker = new Worker<TickJob>(
    scheduleQueueName,
    async (job: Job<TickJob>) => {
      const schedule = await store.get(job.data.schedule_id);
      if (!schedule || schedule.paused) return;
      const tickMs = job.opts.prevMillis ?? job.timestamp;
      const lateMs = Date.now() - tickMs;
      const context = { scheduleId: schedule.id, tickAt: new Date(tickMs).toISOString(), lateMs };
      if (lateMs > options.misfireGraceMs && schedule.misfire === 'skip') {
        await store.recordSkip(schedule.id);
        logger.info(context, 'missed tick skipped (misfire: skip)');
        return;
      }
      try {
        const { jobId } = await options.run(schedule, tickMs);
        await store.recordTick(schedule.id, new Date(tickMs), { jobId });
        logger.debug({ ...context, jobId }, 'schedule ran');
      } catch (error) {
        const failure = GantryError.from(error);
        await store.recordTick(schedule.id, new Date(tickMs), { error: failure.toInfo() });
        logger.warn({ ...context, err: failure.toInfo() }, 'schedule tick failed');
        if (failure.retryable) throw failure;
      }
    },
    {
      connection: createRedis(options.redisUrl, logger, 'blocking'),
      prefix: redisKeys(options.prefix).bullPrefix,
      concurrency: 4,
    },
  );
  worker.on('error', (error) => logger.error({ err: error }, 'schedule worker error'));
  return {
    async close() {
      await worker.close();
      await worker.disconnect();
    },
  };
}
