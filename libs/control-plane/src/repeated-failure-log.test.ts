import { describe, expect, it } from 'vitest';
import type { ControlLogger } from './control-logger.js';
import { repeatedFailureLog } from './repeated-failure-log.js';

function recordingLogger() {
  const lines: string[] = [];
  const at =
    (level: string) =>
    (_fields: Record<string, unknown>, message: string): void => {
      lines.push(`${level} ${message}`);
    };
  const logger: ControlLogger = {
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    debug: at('debug'),
  };
  return { logger, lines };
}

describe('repeatedFailureLog', () => {
  it('logs an outage once at its level, the repeats at debug, and the recovery', () => {
    const { logger, lines } = recordingLogger();
    const log = repeatedFailureLog(logger, 'heartbeat', 'error');
    log.succeeded();
    for (let i = 0; i < 3; i++) log.failed(new Error('ECONNREFUSED'));
    log.succeeded();
    log.failed(new Error('ECONNREFUSED'));
    expect(lines).toEqual([
      'error heartbeat failed; trying again',
      'debug heartbeat failed again',
      'debug heartbeat failed again',
      'info heartbeat works again',
      'error heartbeat failed; trying again',
    ]);
  });
});
