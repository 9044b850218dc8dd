import { GantryError, WorkerAnnouncement } from '@gantry/contracts';
import { controlPlaneKeys } from '@gantry/job-state';
import {
  CancelControlEvent,
  DrainControlEvent,
  QueueControlEvent,
  type WorkerCommandReply,
} from './control-events.js';
import { type ControlLogger, silentLogger, withFields } from './control-logger.js';
import { startControlServer } from './control-server.js';
import { parseRedisUrl } from './parse-redis-url.js';
import { createPauseReconciler } from './pause-reconciler.js';
import { repeatedFailureLog } from './repeated-failure-log.js';
import { closeRedisClient, openRedisClient, unavailable } from './redis-client.js';
import { WorkerRegistry } from './worker-registry.js';

/** What the worker runtime does when the control plane asks. */
export interface ControlHandlers {
  /** Stop taking new jobs (in-flight ones go on). */
  pause(): Promise<void>;
  /** Take jobs again. */
  resume(): Promise<void>;
  /** Stop taking jobs, finish the in-flight ones, then exit. Runs at most once. */
  drain(): Promise<void>;
  /**
   * Stop this job now if this worker runs it (the job's state says canceled already). Every worker of
   * the job's queue is told, and nothing is re-read: a worker that missed it reads the job's state.
   */
  cancel(jobId: string): Promise<void>;
  /**
   * Answers a command addressed to this worker alone (`ControlClient.commandWorker`): its result goes
   * back to the caller, a thrown `GantryError` keeps its code. Workers without one answer nothing.
   */
  command?(payload: unknown): Promise<unknown>;
}

export interface ControlAgentOptions {
  redisUrl: string;
  /** Key and channel namespace shared with the gateway's control client. */
  prefix: string;
  /** The worker as it is now; called on every heartbeat. `heartbeat_at` is set by the agent. */
  announce: () => WorkerAnnouncement;
  handlers: ControlHandlers;
  /** How often the announcement is written; 2 s by default. */
  heartbeatMs?: number;
  /** How long an announcement outlives its worker's last heartbeat; 6 s by default. */
  ttlMs?: number;
  logger?: ControlLogger;
}

export interface ControlAgent {
  /** Stops heartbeating and listening, and removes the worker from the registry at once. */
  stop(): Promise<void>;
}

/**
 * Announces a worker to the control plane and carries control commands to its handlers. The
 * announcement is re-written every heartbeat with an expiry, so a killed worker drops out by
 * itself. Commands arrive as NestJS microservice events over Redis; the persisted pause flag and
 * drain request are re-read on every heartbeat as well, so a missed event costs one heartbeat.
 * Resolves once the worker is announced and, if its queue is paused, its pause handler has run.
 * The worker's id and queue are read once, from the first announcement.
 */
export async function startControlAgent(options: ControlAgentOptions): Promise<ControlAgent> {
  const { prefix, handlers, heartbeatMs = 2_000, ttlMs = 6_000 } = options;
  if (!(heartbeatMs > 0 && ttlMs > heartbeatMs)) {
    throw new GantryError('INTERNAL', 'The control agent needs 0 < heartbeatMs < ttlMs', {
      retryable: false,
      details: { heartbeatMs, ttlMs },
    });
  }
  const connection = parseRedisUrl(options.redisUrl);
  const { id, queue } = announcement(options.announce);
  const logger = withFields(options.logger ?? silentLogger, { worker_id: id, queue });
  const keys = controlPlaneKeys(prefix);
  let stopped = false;
  let draining = false;

  const redis = await openRedisClient(connection, logger, keys.connectionName('agent'));
  const registry = new WorkerRegistry(redis, prefix, logger);
  const reconciler = createPauseReconciler({
    readPaused: () => registry.isPaused(queue),
    pause: () => handlers.pause(),
    resume: () => handlers.resume(),
    logger,
  });

  // The drain handler owns the worker from here on (it may well call stop()), so it is not
  // awaited, and pause/resume stop: a resume must not make a draining worker take jobs again.
  const drain = () => {
    if (draining || stopped) return;
    draining = true;
    reconciler.stop();
    logger.info({}, 'draining');
    void (async () => {
      try {
        await handlers.drain();
      } catch (error) {
        logger.error({ err: error }, 'the drain handler failed');
      }
    })();
  };

  const heartbeatLog = repeatedFailureLog(logger, 'heartbeat', 'error');
  const heartbeat = async () => {
    try {
      const current = announcement(options.announce);
      if (current.id !== id || current.queue !== queue) {
        throw new GantryError('INTERNAL', 'announce() changed the worker id or queue', {
          details: { announced: { id: current.id, queue: current.queue } },
        });
      }
      const { drainRequested } = await registry.heartbeat(current, ttlMs);
      heartbeatLog.succeeded();
      if (drainRequested) drain();
    } catch (error) {
      if (!stopped) heartbeatLog.failed(error);
    }
    void reconciler.nudge();
  };

  const onQueueEvent = async (payload: unknown) => {
    const event = QueueControlEvent.safeParse(payload);
    if (!event.success) return logger.warn({ payload }, 'ignoring a malformed queue control event');
    if (event.data.queue === queue) void reconciler.nudge();
  };

  const command = handlers.command;
  const messages = command && {
    [keys.workerCommand(id)]: async (payload: unknown): Promise<WorkerCommandReply> => {
      try {
        return { ok: true, result: await command(payload) };
      } catch (error) {
        const typed = GantryError.from(error);
        if (typed.code === 'INTERNAL') logger.error({ err: error }, 'the command handler failed');
        return { ok: false, error: typed.toInfo() };
      }
    },
  };

  const server = await startControlServer({
    connection,
    name: keys.connectionName('agent-events'),
    logger,
    events: {
      [keys.channels.pause]: onQueueEvent,
      [keys.channels.resume]: onQueueEvent,
      [keys.channels.drain]: async (payload) => {
        const event = DrainControlEvent.safeParse(payload);
        if (!event.success) return logger.warn({ payload }, 'ignoring a malformed drain event');
        if (event.data.worker_id === id) drain();
      },
      [keys.channels.cancel]: async (payload) => {
        const event = CancelControlEvent.safeParse(payload);
        if (!event.success) return logger.warn({ payload }, 'ignoring a malformed cancel event');
        if (event.data.queue !== queue) return;
        try {
          await handlers.cancel(event.data.job_id);
        } catch (error) {
          logger.error({ err: error, job_id: event.data.job_id }, 'the cancel handler failed');
        }
      },
    },
    ...(messages ? { messages } : {}),
  }).catch(async (error: unknown) => {
    await closeRedisClient(redis);
    throw error;
  });
  try {
    await registry.heartbeat(announcement(options.announce), ttlMs);
  } catch (error) {
    await server.close();
    await closeRedisClient(redis);
    throw unavailable(connection, error);
  }

  let timer: NodeJS.Timeout | undefined;
  let beating: Promise<void> = Promise.resolve();
  const tick = () => {
    beating = heartbeat().then(() => {
      if (!stopped) timer = setTimeout(tick, heartbeatMs);
    });
  };
  timer = setTimeout(tick, heartbeatMs);
  // Heartbeats already run: a pause handler may take its time without the worker expiring.
  await reconciler.nudge();
  logger.info({ heartbeat_ms: heartbeatMs, ttl_ms: ttlMs }, 'control agent started');

  const stop = async () => {
    stopped = true;
    reconciler.stop();
    clearTimeout(timer);
    await beating;
    await server.close();
    try {
      await registry.remove(id);
    } catch (error) {
      logger.warn({ err: error }, 'could not remove the worker from the registry; it expires by itself');
    }
    await closeRedisClient(redis);
    logger.info({}, 'control agent stopped');
  };
  let stopping: Promise<void> | undefined;
  return { stop: () => (stopping ??= stop()) };
}

// The heartbeat time is the agent's to set: it is when the announcement is written.
function announcement(announce: () => WorkerAnnouncement): WorkerAnnouncement {
  const parsed = WorkerAnnouncement.safeParse({ ...announce(), heartbeat_at: new Date().toISOString() });
  if (parsed.success) return parsed.data;
  throw new GantryError('INTERNAL', 'announce() returned an invalid WorkerAnnouncement', {
    retryable: false,
    details: { issues: parsed.error.issues },
  });
}
