/**
 * The logging surface this lib needs; a pino `Logger` satisfies it, so apps pass theirs in and this
 * lib stays free of a logging dependency.
 */
export interface StoreLogger {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

export const silentLogger: StoreLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
