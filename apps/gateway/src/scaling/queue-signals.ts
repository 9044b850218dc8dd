import { jobCatalogue } from '@gantry/contracts';
import type { ControlClient } from '@gantry/control-plane';
import type { Logger } from '@gantry/observability';
import type { JobProducer } from '@gantry/queue-runtime';
import type { Redis } from 'ioredis';
import { meanServiceTime, type QueueEventEntry } from './mean-service-time.js';
import { replicasNeeded, type QueueLoad } from './replicas-needed.js';

export const queueJobStates = ['waiting', 'delayed', 'active', 'paused'] as const;
export type QueueJobState = (typeof queueJobStates)[number];

/** What the gateway knows of one queue at one moment: the figures its scaling gauges show. */
export interface QueueSignal {
  queue: string;
  jobs: Record<QueueJobState, number>;
  readyWorkers: number;
  slotsPerReplica: number;
  meanServiceSeconds: number;
  replicasNeeded: number;
}

export interface QueueSignalsOptions {
  redis: Redis;
  producer: JobProducer;
  control: ControlClient;
  logger: Logger;
  /**
   * The longest a job should wait for a slot; the replicas-needed figure keeps the backlog under it.
   * Default 10 s; a ScaledObject tunes its queue around it with its `targetValue` (0.5 halves the wait).
   */
  targetWaitSeconds?: number;
  /** Scrapes within this long of the last read share it, so many scrapers cost Redis one read. */
  maxAgeMs?: number;
  /** The mean service time moves slowly: its window of queue events is read this often. */
  serviceTimeMaxAgeMs?: number;
  /** Newest queue events read per queue for the mean service time. */
  eventsWindow?: number;
  /** Assumed until a queue's first job finishes (a queue scaled to zero since the gateway started). */
  defaultServiceSeconds?: number;
}

/**
 * Per queue: BullMQ's job counts (`getJobCounts`), the live workers' announcements (ready workers,
 * slots each) and the recent mean service time (from BullMQ's queue events), read from Redis at
 * most once per `maxAgeMs` however many scrapers ask. Every gateway replica reads the same Redis,
 * so any of them answers a scaler alike.
 */
export class QueueSignals {
  private readonly known = new Set<string>(jobCatalogue.map((contract) => contract.queue));
  private readonly serviceSeconds = new Map<string, number>();
  private readonly slots = new Map<string, number>();
  private last: { at: number; signals: QueueSignal[] } | null = null;
  private serviceReadAt = 0;
  private reading: Promise<QueueSignal[]> | null = null;

  constructor(private readonly options: QueueSignalsOptions) {}

  /** The latest signals; on a Redis failure, the last ones read (an empty list before any). */
  async read(): Promise<QueueSignal[]> {
    const maxAge = this.options.maxAgeMs ?? 1_500;
    if (this.last && Date.now() - this.last.at < maxAge) return this.last.signals;
    this.reading ??= this.refresh().finally(() => (this.reading = null));
    return this.reading;
  }

  private async refresh(): Promise<QueueSignal[]> {
    try {
      const workers = await this.options.control.listWorkers();
      for (const worker of workers) this.known.add(worker.queue);
      const queues = [...this.known].sort();
      if (Date.now() - this.serviceReadAt >= (this.options.serviceTimeMaxAgeMs ?? 10_000)) {
        this.serviceReadAt = Date.now();
        await Promise.all(queues.map((queue) => this.readServiceTime(queue)));
      }
      const signals = await Promise.all(
        queues.map(async (queue): Promise<QueueSignal> => {
          const bull = this.options.producer.queue(queue);
          const [counts, controlPaused, bullPaused] = await Promise.all([
            bull.getJobCounts('wait', 'prioritized', 'delayed', 'active'),
            this.options.control.isQueuePaused(queue),
            bull.isPaused(),
          ]);
          // BullMQ 6 has no paused list: a paused queue's jobs stay in wait and prioritized. They wait for
          // an operator's resume, not for a slot, so they show as `paused` (pauses come from the control
          // plane; a BullMQ-level pause counts too).
          const paused = controlPaused || bullPaused;
          const ready = (counts['wait'] ?? 0) + (counts['prioritized'] ?? 0);
          const jobs = {
            waiting: paused ? 0 : ready,
            delayed: counts['delayed'] ?? 0,
            active: counts['active'] ?? 0,
            paused: paused ? ready : 0,
          };
          const live = workers.filter((worker) => worker.queue === queue);
          if (live.length > 0) {
            this.slots.set(queue, live.reduce((sum, worker) => sum + worker.concurrency, 0) / live.length);
          }
          const profile = {
            meanServiceSeconds: this.serviceSeconds.get(queue) ?? this.options.defaultServiceSeconds ?? 1,
            slotsPerReplica: this.slots.get(queue) ?? 1,
          };
          // A paused queue's workers take nothing: more replicas would not help its backlog.
          const load: QueueLoad = paused ? { waiting: 0, delayed: 0, active: jobs.active } : jobs;
          return {
            queue,
            jobs,
            readyWorkers: live.filter((worker) => worker.state === 'ready').length,
            slotsPerReplica: profile.slotsPerReplica,
            meanServiceSeconds: profile.meanServiceSeconds,
            replicasNeeded: replicasNeeded(load, profile, this.options.targetWaitSeconds ?? 10),
          };
        }),
      );
      this.last = { at: Date.now(), signals };
      return signals;
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not read the queues for the scaling gauges');
      return this.last?.signals ?? [];
    }
  }

  private async readServiceTime(queue: string): Promise<void> {
    const reply = (await this.options.redis.xrevrange(
      this.options.producer.queue(queue).toKey('events'),
      '+',
      '-',
      'COUNT',
      this.options.eventsWindow ?? 1_000,
    )) as QueueEventEntry[];
    const mean = meanServiceTime(reply);
    // No job finished within the window: the last mean still describes the queue's work.
    if (mean) this.serviceSeconds.set(queue, mean.seconds);
  }
}
