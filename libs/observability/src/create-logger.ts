import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** JSON logs on stdout; `service` names the app so logs of many pods can be told apart. */
export function createLogger(service: string, level: LoggerOptions['level'] = 'info'): Logger {
  return pino({
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
