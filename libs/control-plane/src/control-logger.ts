/** What the control plane needs of a logger; a pino logger fits as is. */
export interface ControlLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
}

const ignore = (): void => undefined;

/** Used when the caller passes no logger: the control plane never writes to the console itself. */
export const silentLogger: ControlLogger = { info: ignore, warn: ignore, error: ignore, debug: ignore };

/** A logger that adds `fields` to every line (what pino's `child` does, for any logger). */
export function withFields(logger: ControlLogger, fields: Record<string, unknown>): ControlLogger {
  return {
    info: (extra, message) => logger.info({ ...fields, ...extra }, message),
    warn: (extra, message) => logger.warn({ ...fields, ...extra }, message),
    error: (extra, message) => logger.error({ ...fields, ...extra }, message),
    debug: (extra, message) => logger.debug({ ...fields, ...extra }, message),
  };
}
