import { type ErrorCode, GantryError, type WorkerAnnouncement, errorCodes } from '@gantry/contracts';
import { controlPlaneKeys } from '@gantry/job-state';
import { TimeoutError } from 'rxjs';
import { WorkerCommandReply } from './control-events.js';
import { createControlEmitter } from './control-emitter.js';
import { type ControlLogger, silentLogger } from './control-logger.js';
import { parseRedisUrl } from './parse-redis-url.js';
import { closeRedisClient, openRedisClient, unavailable } from './redis-client.js';
import { WorkerRegistry } from './worker-registry.js';

export interface ControlClientOptions {
  redisUrl: string;
  /** Key and channel namespace shared with the workers' control agents. */
  prefix: string;
  logger?: ControlLogger;
}

export interface WorkerFilter {
  queue?: string;
}

/** The gateway's handle on the workers. Redis failures reject with `QUEUE_UNAVAILABLE`. */
export interface ControlClient {
  /** Live workers (those whose last heartbeat has not expired), by queue then id. */
  listWorkers(filter?: WorkerFilter): Promise<WorkerAnnouncement[]>;
  /** A live worker, or null. */
  getWorker(id: string): Promise<WorkerAnnouncement | null>;
  /** Persists the pause (workers started later start paused) and tells the live workers. */
  pauseQueue(queue: string): Promise<void>;
  resumeQueue(queue: string): Promise<void>;
  isQueuePaused(queue: string): Promise<boolean>;
  /** Asks one worker to finish its jobs and exit; `WORKER_NOT_FOUND` if it is not alive. */
  drainWorker(id: string): Promise<void>;
  /**
   * Tells the workers of a queue to stop a job at once. The caller has written the cancel into the
   * job's state first: that is what a worker that misses this event reads (within a second).
   */
  cancelJob(jobId: string, queue: string): Promise<void>;
  /**
   * Asks one live worker to run a command and resolves with its answer; rethrows the typed error the
   * worker answered with. `WORKER_NOT_FOUND` when it does not answer within `timeoutMs` (5 s by default).
   */
  commandWorker(id: string, payload: Record<string, unknown>, timeoutMs?: number): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Opens the gateway side of the control plane: reads the worker registry and sends commands as
 * NestJS microservice events. Each command is persisted before it is sent, so a worker that
 * misses the event still obeys within one heartbeat, and a failed send is only logged.
 */
export async function createControlClient(options: ControlClientOptions): Promise<ControlClient> {
  const { prefix } = options;
  const logger = options.logger ?? silentLogger;
  const connection = parseRedisUrl(options.redisUrl);
  const keys = controlPlaneKeys(prefix);
  const redis = await openRedisClient(connection, logger, keys.connectionName('client'));
  const emitter = await createControlEmitter(connection, logger, keys.connectionName('client-events')).catch(
    async (error: unknown) => {
      await closeRedisClient(redis);
      throw error;
    },
  );
  const registry = new WorkerRegistry(redis, prefix, logger);

  const redisCall = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw error instanceof GantryError ? error : unavailable(connection, error);
    }
  };
  const send = async (pattern: string, payload: Record<string, unknown>) => {
    try {
      await emitter.emit(pattern, payload);
    } catch (error) {
      logger.warn(
        { err: error, pattern },
        'control event not sent; workers pick it up at their next heartbeat',
      );
    }
  };

  let closing: Promise<void> | undefined;
  return {
    async listWorkers(filter = {}) {
      const workers = await redisCall(() => registry.list());
      return workers
        .filter((worker) => filter.queue === undefined || worker.queue === filter.queue)
        .sort((a, b) => a.queue.localeCompare(b.queue) || a.id.localeCompare(b.id));
    },
    getWorker: (id) => redisCall(() => registry.get(id)),
    async pauseQueue(queue) {
      await redisCall(() => registry.setPaused(queue, true));
      await send(keys.channels.pause, { queue });
      logger.info({ queue }, 'queue paused');
    },
    async resumeQueue(queue) {
      await redisCall(() => registry.setPaused(queue, false));
      await send(keys.channels.resume, { queue });
      logger.info({ queue }, 'queue resumed');
    },
    isQueuePaused: (queue) => redisCall(() => registry.isPaused(queue)),
    async drainWorker(id) {
      if (!(await redisCall(() => registry.requestDrain(id)))) {
        throw new GantryError('WORKER_NOT_FOUND', `No live worker with id "${id}"`, {
          details: { worker_id: id },
        });
      }
      await send(keys.channels.drain, { worker_id: id });
      logger.info({ worker_id: id }, 'drain requested');
    },
    cancelJob: (jobId, queue) => send(keys.channels.cancel, { job_id: jobId, queue }),
    async commandWorker(id, payload, timeoutMs = 5_000) {
      let answer: unknown;
      try {
        answer = await emitter.send(keys.workerCommand(id), payload, timeoutMs);
      } catch (error) {
        if (!(error instanceof TimeoutError)) throw unavailable(connection, error);
        throw new GantryError('WORKER_NOT_FOUND', `Worker "${id}" did not answer within ${timeoutMs} ms`, {
          details: { worker_id: id, timeout_ms: timeoutMs },
        });
      }
      const reply = WorkerCommandReply.parse(answer);
      if (reply.ok) return reply.result;
      const { code, message, details } = reply.error;
      throw new GantryError(code in errorCodes ? (code as ErrorCode) : 'INTERNAL', message, {
        ...(details ? { details } : {}),
        retryable: reply.error.retryable,
      });
    },
    close: () =>
      (closing ??= (async () => {
        await emitter.close();
        await closeRedisClient(redis);
      })()),
  };
}
