import { describe, expect, it } from 'vitest';
import type { RecorderThreadSettings } from './recorder-thread-messages.js';
import { startRecorderThread } from './recorder-thread.js';

const settings: RecorderThreadSettings = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
  GANTRY_PREFIX: 't-recorder-thread',
  LOG_LEVEL: 'warn',
  WEBHOOK_RETRY_BASE_MS: 5_000,
  WEBHOOK_RETRY_WINDOW_S: 86_400,
};

// A real worker thread. A log level pino does not know makes the thread throw as it starts, which is
// how any fatal error inside it looks from the gateway.
describe('startRecorderThread', () => {
  it('starts a thread that dies again, and stops at once while the next start is pending', async () => {
    const errors: string[] = [];
    const thread = startRecorderThread({
      settings: { ...settings, LOG_LEVEL: 'no-such-level' as RecorderThreadSettings['LOG_LEVEL'] },
      logger: { error: (_fields: object, message?: string) => errors.push(message ?? '') },
      onBatch: () => undefined,
      restartDelayMs: 50,
    });
    // Each start loads the recorder from TypeScript sources: ~1 s on an idle machine, 7 s and more beside
    // the rest of the suite on two busy cores (15 s for two starts failed 2 runs of 6 there).
    await expect
      .poll(() => errors.filter((message) => message.includes('restarting it')).length, { timeout: 60_000 })
      .toBeGreaterThanOrEqual(2);

    const started = Date.now();
    await thread.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 90_000);

  it('ends a thread still loading at once, instead of waiting for it to start', async () => {
    const errors: string[] = [];
    const thread = startRecorderThread({
      settings: { ...settings, GANTRY_PREFIX: 't-recorder-thread-loading' },
      logger: { error: (_fields: object, message?: string) => errors.push(message ?? '') },
      onBatch: () => undefined,
    });
    const started = Date.now();
    await thread.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(errors).toEqual([]);
  });
});
