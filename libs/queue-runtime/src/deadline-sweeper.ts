import { randomBytes } from 'node:crypto';
import type { Logger } from '@gantry/observability';
import type { JobProducer } from './job-producer.js';

export interface DeadlineSweeper {
  stop(): Promise<void>;
}

export interface DeadlineSweeperOptions {
  producer: JobProducer;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** How often a replica tries to sweep (default 1 s); one replica sweeps in each period. */
  intervalMs?: number;
  /** Jobs ended per sweep at most (default 500); the rest wait for the next sweep. */
  batchSize?: number;
}

/**
 * Ends the queued jobs whose start deadline passed (`expires_in`) and removes their BullMQ jobs, so
 * they end `expired` at the deadline even when no worker takes them. Every gateway runs one; a lock
 * that lapses by itself lets one replica sweep per period. A job already started or ended is left
 * alone (the transition only applies to a queued job), so a sweep that races a worker changes nothing.
 */
export function startDeadlineSweeper(options: DeadlineSweeperOptions): DeadlineSweeper {
  const { producer, logger } = options;
  const intervalMs = options.intervalMs ?? 1_000;
  const batchSize = options.batchSize ?? 500;
  const owner = randomBytes(8).toString('hex');
  let sweeping: Promise<void> | null = null;

  const sweep = async () => {
    // Held a little under a period: the next period's sweep may be any replica's.
    if (!(await producer.store.claimDeadlineSweep(owner, Math.max(1, intervalMs - 100)))) return;
    const due = await producer.store.dueDeadlines(Date.now(), batchSize);
    let expired = 0;
    for (const { id, expiresAt } of due) {
      if ((await producer.expire(id, expiresAt)).applied) expired += 1;
    }
    await producer.store.dropDeadlines(due.map((job) => job.id));
    if (expired > 0) logger.info({ expired }, 'queued jobs passed their start deadline; expired');
  };

  const timer = setInterval(() => {
    // A sweep still running (a slow Redis) is not queued behind: the next period tries again.
    sweeping ??= sweep()
      .catch((error: unknown) => logger.warn({ err: error }, 'deadline sweep failed; retrying next period'))
      .finally(() => (sweeping = null));
  }, intervalMs);
  timer.unref();

  return {
    async stop() {
      clearInterval(timer);
      await sweeping;
    },
  };
}
