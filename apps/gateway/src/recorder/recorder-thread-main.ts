/** Entry of the recorder thread (see recorder-thread.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { createPool, createRecorder } from '@gantry/job-store';
import { createLogger } from '@gantry/observability';
import { createRedis } from '@gantry/queue-runtime';
import type {
  RecorderThreadCommand,
  RecorderThreadMessage,
  RecorderThreadSettings,
} from './recorder-thread-messages.js';

const settings = workerData as RecorderThreadSettings;
const port = parentPort;
if (!port) throw new Error('recorder-thread-main runs as a worker thread');

const logger = createLogger('gateway', settings.LOG_LEVEL).child({ component: 'recorder' });
const redis = createRedis(settings.REDIS_URL, logger, 'blocking');
const pool = createPool(settings.DATABASE_URL, { max: 2, logger });
const recorder = createRecorder({
  redis,
  pool,
  logger,
  prefix: settings.GANTRY_PREFIX,
  onBatch: (batch) => port.postMessage({ kind: 'batch', lagMs: batch.lagMs } satisfies RecorderThreadMessage),
});
recorder.start();

port.on('message', (command: RecorderThreadCommand) => {
  if (command.kind !== 'stop') return;
  void (async () => {
    await recorder.stop();
    await Promise.allSettled([redis.quit(), pool.end()]);
    // Ends this thread only, whatever timers or sockets a library still holds.
    process.exit(0);
  })();
});
