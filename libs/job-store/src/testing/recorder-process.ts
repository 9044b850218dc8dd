/**
 * A recorder in a process of its own, for the test that SIGKILLs one mid-batch. Its Postgres is
 * unreachable, so it reads a batch and can never settle it; it prints "holding <n>" once it does.
 * Usage: node --conditions=@gantry/source --import tsx recorder-process.ts <redisUrl> <prefix> <consumer>
 */
import { redisKeys } from '@gantry/job-state';
import { Redis } from 'ioredis';
import { createPool } from '../create-pool.js';
import { createRecorder } from '../recorder.js';
import { silentLogger } from '../store-logger.js';

const [redisUrl = '', prefix = '', consumer = ''] = process.argv.slice(2);
const redis = new Redis(redisUrl);
const recorder = createRecorder({
  redis,
  pool: createPool('postgres://postgres@127.0.0.1:1/none', { connectionTimeoutMs: 200 }),
  logger: silentLogger,
  prefix,
  consumer,
  backoffInitialMs: 60_000,
  onError: () => {
    void redis.xpending(redisKeys(prefix).records, 'recorders').then((summary) => {
      process.stdout.write(`holding ${String((summary as unknown[])[0])}\n`);
    });
  },
});
recorder.start();
