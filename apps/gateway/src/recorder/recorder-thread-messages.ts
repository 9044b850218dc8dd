import type { GatewayEnv } from '../env.js';

/** What the recorder thread is started with (structured-cloned into it). */
export type RecorderThreadSettings = Pick<
  GatewayEnv,
  | 'REDIS_URL'
  | 'DATABASE_URL'
  | 'GANTRY_PREFIX'
  | 'LOG_LEVEL'
  | 'WEBHOOK_RETRY_BASE_MS'
  | 'WEBHOOK_RETRY_WINDOW_S'
>;

/** Thread → gateway: `started` once it has loaded and is about to record, then one `batch` per batch. */
export type RecorderThreadMessage = { kind: 'started' } | { kind: 'batch'; lagMs: number };

/** Gateway → thread. */
export type RecorderThreadCommand = { kind: 'stop' };
