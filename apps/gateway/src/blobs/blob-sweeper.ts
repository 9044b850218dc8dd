import { setTimeout as delay } from 'node:timers/promises';
import type { BlobStore, ListedBlob } from '@gantry/blob-store';
import { redisKeys } from '@gantry/job-state';
import { findBlobsInUse } from '@gantry/job-store';
import type { Logger } from '@gantry/observability';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { startReplicaRounds } from '../retention/replica-rounds.js';

export interface BlobSweeperOptions {
  blobs: BlobStore;
  pool: pg.Pool;
  redis: Redis;
  prefix: string;
  /** JOB_RETENTION_S: a blob goes once every job that names it ended longer ago than this (and no schedule names it). */
  retentionSeconds: number;
  /** Time between rounds. */
  intervalMs: number;
  /** Age of the oldest job change not yet written to PostgreSQL, null when there is none. */
  unrecordedAgeMs: () => Promise<number | null>;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Blobs looked up in PostgreSQL per query (default 500). */
  batchSize?: number;
  /** How long a round waits for the recorder to catch up before it gives up until the next (default 10 s). */
  recorderWaitMs?: number;
}

export type SweepOutcome =
  | { ran: true; deleted: number; kept: number }
  | { ran: false; reason: 'another replica sweeps' | 'recorder behind' };

export interface BlobSweeper {
  /** One round now (tests and the timer call this). */
  sweep(): Promise<SweepOutcome>;
  stop(): Promise<void>;
}

/**
 * Deletes uploaded blobs that nothing needs any more: blobs written more than JOB_RETENTION_S ago
 * that no job names which is unfinished or ended within retention, and no schedule names (schedules
 * are written to PostgreSQL directly) — including uploads whose job was never created. PostgreSQL is
 * the system of record, so a round first waits until every job change made before it started is
 * recorded there; a job not yet recorded could otherwise name an old blob.
 * One replica sweeps at a time (startReplicaRounds' lock); deleting twice would be harmless, only wasted.
 * What is left open: a client naming by id a blob already past retention, in the moment between a
 * batch's query and its deletes, gets a job that fails with BLOB_NOT_FOUND (or a schedule whose ticks
 * record BLOB_NOT_FOUND in `last_error`).
 */
export function startBlobSweeper(options: BlobSweeperOptions): BlobSweeper {
  const batchSize = options.batchSize ?? 500;
  const recorderWaitMs = options.recorderWaitMs ?? 10_000;

  const recorderCaughtUp = async (since: number): Promise<boolean> => {
    const deadline = Date.now() + recorderWaitMs;
    for (;;) {
      const age = await options.unrecordedAgeMs();
      // The oldest unrecorded change was made after the round started: all before it are recorded.
      if (age === null || Date.now() - age > since) return true;
      if (Date.now() > deadline) return false;
      await delay(200);
    }
  };

  async function sweepLocked(renew: () => Promise<void>): Promise<SweepOutcome> {
    const startedAt = Date.now();
    if (!(await recorderCaughtUp(startedAt))) return { ran: false, reason: 'recorder behind' };
    let deleted = 0;
    let kept = 0;
    let batch: ListedBlob[] = [];
    const settle = async () => {
      const inUse = await findBlobsInUse(
        options.pool,
        batch.map((blob) => blob.blob_id),
        options.retentionSeconds,
      );
      for (const blob of batch) {
        if (inUse.has(blob.blob_id)) kept++;
        else {
          await options.blobs.delete(blob.tenant, blob.blob_id);
          deleted++;
        }
      }
      batch = [];
      await renew();
    };
    const writtenBefore = new Date(startedAt - options.retentionSeconds * 1_000);
    for await (const blob of options.blobs.listWrittenBefore(writtenBefore)) {
      batch.push(blob);
      if (batch.length >= batchSize) await settle();
    }
    if (batch.length > 0) await settle();
    if (deleted > 0) options.logger.info({ deleted, kept }, 'blobs past retention deleted');
    return { ran: true, deleted, kept };
  }

  const rounds = startReplicaRounds({
    redis: options.redis,
    lockKey: redisKeys(options.prefix).blobSweeperLock,
    intervalMs: options.intervalMs,
    round: sweepLocked,
    onError: (error) => options.logger.warn({ err: error }, 'blob sweep failed; retried next round'),
  });

  return {
    sweep: async () => (await rounds.run()) ?? { ran: false, reason: 'another replica sweeps' },
    stop: () => rounds.stop(),
  };
}
