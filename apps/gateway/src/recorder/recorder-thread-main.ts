/** Entry of the recorder thread (see recorder-thread.ts). */
import { readlinkSync } from 'node:fs';
import { hostname, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { createPool, createRecorder } from '@gantry/job-store';
import { createLogger } from '@gantry/observability';
import { createRedis } from '@gantry/queue-runtime';
import { notifyRecordedJobs } from '../notifications/job-notifications.js';
import { NotificationLog } from '../notifications/notification-log.js';
import { NotificationQueue } from '../notifications/notification-queue.js';
import type {
  RecorderThreadCommand,
  RecorderThreadMessage,
  RecorderThreadSettings,
} from './recorder-thread-messages.js';

const settings = workerData as RecorderThreadSettings;
const port = parentPort;
if (!port) throw new Error('recorder-thread-main runs as a worker thread');

const logger = createLogger('gateway', settings.LOG_LEVEL).child({ component: 'recorder' });
lowerThisThreadsPriority();
const redis = createRedis(settings.REDIS_URL, logger, 'blocking');
const pool = createPool(settings.DATABASE_URL, { max: 2, logger });
const notifications = new NotificationQueue(redis, settings.GANTRY_PREFIX, {
  baseMs: settings.WEBHOOK_RETRY_BASE_MS,
  windowSeconds: settings.WEBHOOK_RETRY_WINDOW_S,
});
const recorder = createRecorder({
  redis,
  pool,
  logger,
  prefix: settings.GANTRY_PREFIX,
  // The same name for every thread this gateway starts: a restarted one reads what its predecessor
  // left pending first, instead of waiting for another recorder to reclaim it.
  consumer: `${hostname()}-${process.pid}-recorder`,
  // Webhooks and e-mail reports start from what is recorded: every status change, once, whoever made it.
  onRecorded: notifyRecordedJobs({ pool, log: new NotificationLog(pool), queue: notifications }),
  onBatch: (batch) => port.postMessage({ kind: 'batch', lagMs: batch.lagMs } satisfies RecorderThreadMessage),
});
port.postMessage({ kind: 'started' } satisfies RecorderThreadMessage);
recorder.start();

port.on('message', (command: RecorderThreadCommand) => {
  if (command.kind !== 'stop') return;
  void (async () => {
    await recorder.stop();
    await Promise.allSettled([notifications.close(), redis.quit(), pool.end()]);
    // Ends this thread only, whatever timers or sockets a library still holds.
    process.exit(0);
  })();
});

/**
 * Recording is batched and can wait: at nice 10 this thread gives way to the request thread when
 * the cores are busy (measured: about 8 % more requests a second under load). Linux sets priority
 * per thread, by the thread's id; elsewhere the thread keeps the gateway's priority.
 */
function lowerThisThreadsPriority(): void {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 10);
  } catch (error) {
    logger.debug({ err: error }, 'recorder thread keeps the default priority');
  }
}
