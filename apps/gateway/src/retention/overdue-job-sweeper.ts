import { type JobRecord, redisKeys } from '@gantry/job-state';
import { findOverdueJobs } from '@gantry/job-store';
import type { Logger } from '@gantry/observability';
import type { JobProducer } from '@gantry/queue-runtime';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { startReplicaRounds } from './replica-rounds.js';

export interface OverdueJobSweeperOptions {
  pool: pg.Pool;
  redis: Redis;
  producer: JobProducer;
  prefix: string;
  /** A job not final this long after its creation is ended (JOB_MAX_LIFETIME_S). */
  maxLifetimeSeconds: number;
  /** Time between rounds. */
  intervalMs: number;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Jobs read per query (default 500); a round goes on until none is left. */
  batchSize?: number;
}

export type OverdueOutcome = { ran: true; ended: number } | { ran: false; reason: 'another replica sweeps' };

export interface OverdueJobSweeper {
  /** One round now (tests and the timer call this). */
  sweep(): Promise<OverdueOutcome>;
  stop(): Promise<void>;
}

/**
 * Ends, failed with JOB_LIFETIME_EXCEEDED, every job that has not ended JOB_MAX_LIFETIME_S after its
 * creation: queued on a queue no worker reads, or lost with its worker and its Redis state. Without it
 * such a job's hash would expire and leave its PostgreSQL row `queued` or `running` for good, holding
 * its blobs and never notifying anyone. The candidates come from PostgreSQL (the rows that are not
 * final); each ends through JobProducer.endOverdue, in one gateway replica at a time.
 */
export function startOverdueJobSweeper(options: OverdueJobSweeperOptions): OverdueJobSweeper {
  const batchSize = options.batchSize ?? 500;

  async function sweepLocked(renew: () => Promise<void>, signal: AbortSignal): Promise<OverdueOutcome> {
    const createdBefore = new Date(Date.now() - options.maxLifetimeSeconds * 1_000);
    let ended = 0;
    let after: JobRecord | null = null;
    // Page by page: a job that had already ended in Redis keeps its row until the recorder writes it.
    while (!signal.aborted) {
      const jobs = await findOverdueJobs(options.pool, createdBefore, batchSize, after);
      for (const job of jobs) {
        if (await options.producer.endOverdue(job, options.maxLifetimeSeconds)) ended += 1;
      }
      await renew();
      after = jobs.at(-1) ?? null;
      if (jobs.length < batchSize) break;
    }
    if (ended > 0)
      options.logger.info({ ended }, 'jobs past JOB_MAX_LIFETIME_S ended (JOB_LIFETIME_EXCEEDED)');
    return { ran: true, ended };
  }

  const rounds = startReplicaRounds({
    redis: options.redis,
    lockKey: redisKeys(options.prefix).overdueSweeperLock,
    intervalMs: options.intervalMs,
    round: sweepLocked,
    onError: (error) => options.logger.warn({ err: error }, 'overdue job sweep failed; retried next round'),
  });

  return {
    sweep: async () => (await rounds.run()) ?? { ran: false, reason: 'another replica sweeps' },
    stop: () => rounds.stop(),
  };
}
