import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

/**
 * What lets a stopping gateway finish the requests it has begun instead of cutting their connections
 * (the old replica of a rolling update, a scale-in): a client whose `POST` was cut cannot tell whether
 * its job was accepted. Once `drain` is called, responses carry `Connection: close` (keep-alive
 * clients reconnect to another replica), long waits — SSE streams and `Prefer: wait` — end early on
 * `signal`, and `drain` resolves when the last request has been answered or the time is up.
 */
export class RequestDrain {
  private readonly controller = new AbortController();
  private readonly open = new Set<ServerResponse>();
  private emptied: (() => void) | null = null;

  /** Aborted when the gateway starts to stop. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Counts every request until its response is finished or its connection has gone. */
  readonly middleware: RequestHandler = (_req, res, next) => {
    if (this.signal.aborted) res.setHeader('connection', 'close');
    this.open.add(res);
    res.once('close', () => {
      this.open.delete(res);
      if (this.open.size === 0) this.emptied?.();
    });
    next();
  };

  /** Requests begun and not yet answered. */
  get inFlight(): number {
    return this.open.size;
  }

  /** Ends the long waits and resolves when no request is left (true) or after `timeoutMs` (false). */
  drain(timeoutMs: number): Promise<boolean> {
    for (const res of this.open) if (!res.headersSent) res.setHeader('connection', 'close');
    this.controller.abort();
    if (this.open.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.emptied = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }
}
