import { setTimeout as delay } from 'node:timers/promises';

export interface WaitOptions {
  /** What is awaited, for the error message. */
  what: string;
  timeoutMs?: number;
  intervalMs?: number;
  /** Extra context for the error (e.g. a process's last log lines). */
  context?: () => string;
}

/** Polls `read` until `ok` holds; read errors count as "not yet" until the deadline. */
export async function waitUntil<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  options: WaitOptions,
): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 100 } = options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown = undefined;
  for (;;) {
    try {
      const value = await read();
      if (ok(value)) return value;
      last = value;
    } catch (error) {
      last = error instanceof Error ? `${error.name}: ${error.message}` : error;
    }
    if (Date.now() > deadline) {
      const context = options.context?.();
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${options.what}; last: ${JSON.stringify(last)}` +
          (context ? `\n${context}` : ''),
      );
    }
    await delay(intervalMs);
  }
}
