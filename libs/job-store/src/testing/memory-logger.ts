import type { StoreLogger } from '../store-logger.js';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  fields: object;
  message: string | undefined;
}

/** A StoreLogger that keeps its lines, so tests can assert what was logged. */
export function memoryLogger(): StoreLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (fields: object, message?: string) => {
    lines.push({ level, fields, message });
  };
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}
