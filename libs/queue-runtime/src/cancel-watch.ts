import { isTerminal } from '@gantry/contracts';
import type { JobStateStore } from '@gantry/job-state';
import type { Logger } from '@gantry/observability';
import type { Redis } from 'ioredis';
import type { JobProcessor } from './job-processor.js';

export interface CancelWatch {
  stop(): void;
}

/**
 * Reads the state of the jobs this worker holds, every `intervalMs` and whenever its connection comes
 * back, and stops those that ended elsewhere: canceled, or gone altogether — a canceled job's hash leaves
 * Redis as soon as the recorder has written it to PostgreSQL, often before this read. The cancel event is only the fast path: one lost
 * with a connection (a reconnect, a restarted subscriber) still stops the engine within a second or so.
 * One pipelined read for all the jobs, nothing when there are none.
 */
export function watchCancels(options: {
  redis: Redis;
  store: JobStateStore;
  processor: JobProcessor;
  logger: Logger;
  intervalMs: number;
}): CancelWatch {
  const { redis, store, processor, logger } = options;
  let checking = false;
  const check = async () => {
    const ids = processor.jobIds();
    if (ids.length === 0 || checking) return;
    checking = true;
    try {
      const statuses = await store.statuses(ids);
      ids.forEach((jobId, index) => {
        const status = statuses[index] ?? null;
        if ((status === null || isTerminal(status)) && processor.cancel(jobId)) {
          logger.info({ jobId, status }, 'job ended elsewhere (read from its state); stopping engine');
        }
      });
    } catch {
      // Redis is away: the next tick, or the reconnect, checks again.
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), options.intervalMs);
  const onReady = () => void check();
  redis.on('ready', onReady);
  return {
    stop() {
      clearInterval(timer);
      redis.off('ready', onReady);
    },
  };
}
