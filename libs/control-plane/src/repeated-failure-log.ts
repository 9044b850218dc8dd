import type { ControlLogger } from './control-logger.js';

/**
 * Logs a periodic action that keeps failing (a heartbeat while Redis is away) as one outage: the first
 * failure at `level`, the repeats at debug, and the recovery once, with how many tries failed.
 */
export function repeatedFailureLog(logger: ControlLogger, action: string, level: 'warn' | 'error') {
  let failures = 0;
  return {
    failed(error: unknown): void {
      failures++;
      if (failures === 1) logger[level]({ err: error }, `${action} failed; trying again`);
      else logger.debug({ err: error, failures }, `${action} failed again`);
    },
    succeeded(): void {
      if (failures > 0) logger.info({ failures }, `${action} works again`);
      failures = 0;
    },
  };
}
