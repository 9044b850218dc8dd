import { redisKeys } from '@gantry/job-state';
import { type PrunedRecords, type PruneStatement, pruneJobRecords } from '@gantry/job-store';
import type { Logger } from '@gantry/observability';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { startReplicaRounds } from './replica-rounds.js';

export interface JobRecordPrunerOptions {
  pool: pg.Pool;
  redis: Redis;
  prefix: string;
  /** A finished job's records go this long after it ended (JOB_RECORD_RETENTION_DAYS, in seconds). */
  retentionSeconds: number;
  /** Time between rounds. */
  intervalMs: number;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Rows deleted per statement (default 1,000): a huge backlog goes in many short transactions. */
  batchSize?: number;
  /** Told of each statement as it ends (tests watch the bound). */
  onStatement?: (statement: PruneStatement) => Promise<void> | void;
}

export type PruneOutcome = ({ ran: true } & PrunedRecords) | { ran: false; reason: 'another replica prunes' };

export interface JobRecordPruner {
  /** One round now (tests and the timer call this). */
  prune(): Promise<PruneOutcome>;
  stop(): Promise<void>;
}

/**
 * Deletes from PostgreSQL the jobs that finished more than the retention ago, with their history,
 * notifications (and delivery attempts), and a pruned batch's items, in one gateway replica at a time
 * (startReplicaRounds' lock, renewed after every statement). Unfinished jobs are never touched; a job
 * under a root (a batch's item, a run's step) goes only after its root, and a schedule's last job stays
 * while the schedule does (pruneJobRecords has the rules). A pruned job answers JOB_NOT_FOUND, as one
 * that never existed: its Redis state left when it was recorded, long before.
 */
export function startJobRecordPruner(options: JobRecordPrunerOptions): JobRecordPruner {
  const batchSize = options.batchSize ?? 1_000;

  async function pruneLocked(renew: () => Promise<void>, signal: AbortSignal): Promise<PruneOutcome> {
    const pruned = await pruneJobRecords(options.pool, {
      completedBefore: new Date(Date.now() - options.retentionSeconds * 1_000),
      batchSize,
      signal,
      afterStatement: async (statement) => {
        await options.onStatement?.(statement);
        await renew();
      },
    });
    if (Object.values(pruned).some((rows) => rows > 0)) {
      options.logger.info(pruned, 'job records past retention pruned');
    }
    return { ran: true, ...pruned };
  }

  const rounds = startReplicaRounds({
    redis: options.redis,
    lockKey: redisKeys(options.prefix).jobRecordPrunerLock,
    intervalMs: options.intervalMs,
    round: pruneLocked,
    onError: (error) => options.logger.warn({ err: error }, 'job record pruning failed; retried next round'),
  });

  return {
    prune: async () => (await rounds.run()) ?? { ran: false, reason: 'another replica prunes' },
    stop: () => rounds.stop(),
  };
}
