import { createLogger } from '@gantry/observability';
import type { RunWorkerOptions } from '../run-worker.js';
import { runtimeTestWorkerModule } from './runtime-test-worker-module.js';

/** A worker of the test job types on a test key prefix, with short locks, stalled checks and grace. */
export const testWorkerOptions = (
  prefix: string,
  overrides: Partial<RunWorkerOptions> = {},
): RunWorkerOptions => ({
  module: runtimeTestWorkerModule,
  app: 'runtime-test',
  version: '0.0.0',
  redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
  prefix,
  concurrency: 2,
  lockDurationMs: 5_000,
  stalledIntervalMs: 2_000,
  shutdownGraceMs: 1_000,
  healthPort: 0,
  logger: createLogger('runtime-test', 'warn'),
  engineEnv: { LOG_LEVEL: 'warn' },
  catalogue: [],
  startControl: null,
  retentionSeconds: 86_400,
  ...overrides,
});
