import type { ControlLogger } from '../control-logger.js';

export type LogLine = [
  level: 'info' | 'warn' | 'error' | 'debug',
  fields: Record<string, unknown>,
  message: string,
];

/** A logger that keeps its lines, for tests that assert on what was logged. */
export function recordingLogger(): { logger: ControlLogger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const record =
    (level: LogLine[0]) =>
    (fields: Record<string, unknown>, message: string): void => {
      lines.push([level, fields, message]);
    };
  return {
    logger: { info: record('info'), warn: record('warn'), error: record('error'), debug: record('debug') },
    lines,
  };
}
