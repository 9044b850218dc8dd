import type { ErrorInfo } from '@gantry/contracts';
import { GantryError } from '@gantry/contracts';
import { redisKeys } from '@gantry/job-state';
import type { Logger } from '@gantry/observability';
import { DelayedError, type Job, WaitingChildrenError, Worker } from 'bullmq';
import { createRedis } from './create-redis.js';
import type { JobPayload } from './job-payload.js';
import { retryDelayMs } from './retry-delay.js';

/**
 * What one look at a flow decides: it is over, it waits for the jobs it started (submitted with this
 * job as their `parent`) to end, or it looks again after `recheckMs` (a flow that counts its jobs
 * itself, like a batch, rather than have BullMQ keep each child's completion).
 */
export type FlowStep = 'done' | 'waiting' | 'recheck';

export interface FlowWorkerOptions {
  redisUrl: string;
  prefix: string;
  queue: string;
  concurrency: number;
  logger: Logger;
  /**
   * Looks at the flow's state and moves it on. Called again (on any replica) each time children end, after
   * a crash, and at least every `recheckMs` while it waits with no child left in BullMQ; so it must
   * derive everything from stored state and be safe to repeat.
   */
  advance(payload: JobPayload): Promise<FlowStep>;
  /** The flow's attempts ran out (its `advance` kept throwing): end it with this error. */
  giveUp(payload: JobPayload, error: ErrorInfo): Promise<void>;
  recheckMs?: number;
}

export interface FlowWorker {
  close(): Promise<void>;
}

/**
 * Runs the jobs of a flow queue (pipeline runs): short, I/O-only looks that start child jobs and then
 * park the flow job in BullMQ's waiting-children set, which moves it back to the queue once the children
 * have ended. Nothing is held in memory between looks: a flow job whose process dies is taken up again
 * by another (its lock lapses), and BullMQ keeps the parent–child links in Redis.
 */
export function runFlowWorker(options: FlowWorkerOptions): FlowWorker {
  const connection = createRedis(options.redisUrl, options.logger, 'blocking');
  const recheckMs = options.recheckMs ?? 5_000;
  const worker = new Worker<JobPayload>(
    options.queue,
    async (job: Job<JobPayload>, token?: string) => {
      for (let look = 0; look < 3; look += 1) {
        let step: FlowStep;
        try {
          step = await options.advance(job.data);
          if (step === 'done') return null;
        } catch (error) {
          const info = GantryError.from(error, 'INTERNAL').toInfo();
          if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
            options.logger.error({ jobId: job.data.id, err: error }, 'flow gave up after its last attempt');
            await options.giveUp(job.data, info);
            return null;
          }
          throw error;
        }
        // False when no child is pending in BullMQ: they all ended already (look again now), or one
        // left BullMQ without its parent hearing of it (look again in a while rather than wait for nothing).
        if (step === 'recheck') break;
        if (token && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();
      }
      await job.moveToDelayed(Date.now() + recheckMs, token);
      throw new DelayedError();
    },
    {
      connection,
      prefix: redisKeys(options.prefix).bullPrefix,
      concurrency: options.concurrency,
      settings: {
        backoffStrategy: (failures, _type, _error, job) =>
          job ? retryDelayMs(job.data as JobPayload, failures) : 0,
      },
    },
  );
  worker.on('error', (error) => options.logger.error({ err: error }, 'flow worker error'));
  return {
    async close() {
      await worker.close();
      await connection.quit().catch(() => undefined);
    },
  };
}
