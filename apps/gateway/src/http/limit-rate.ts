import { GantryError } from '@gantry/contracts';
import type { Logger } from '@gantry/observability';
import type { Request, RequestHandler, Response } from 'express';
import type { RateDecision, RateLimiter } from '../limits/rate-limiter.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The rate limit's answer for this request, asked for as soon as the key is known. */
    admission?: Promise<RateDecision | null>;
  }
}

export interface RateLimitDefaults {
  ratePerSecond: number;
  burst: number;
}

/**
 * Asks the key's token bucket as soon as the request is authenticated, without waiting: routes wait
 * for the answer (`admit`) just before their first side effect, so on the enqueue path the bucket's
 * round trip overlaps the body read instead of adding to it. A key's own limit overrides the defaults.
 */
export function limitRate(limiter: RateLimiter, defaults: RateLimitDefaults, logger: Logger): RequestHandler {
  let lastLogged = 0;
  return (req, _res, next) => {
    const key = req.auth;
    if (key) {
      const rate = key.rate_limit_per_s ?? defaults.ratePerSecond;
      const burst = key.rate_limit_burst ?? defaults.burst;
      if (rate > 0) {
        // A limiter that cannot answer lets the request through: the route's own Redis call then
        // answers 503 if Redis is really away, and a slow limiter never refuses a good client.
        req.admission = limiter.takeToken(key.id, rate, burst).catch((error: unknown) => {
          if (Date.now() - lastLogged > 10_000) {
            lastLogged = Date.now();
            logger.warn({ err: error }, 'rate limiter unavailable; letting requests through');
          }
          return null;
        });
      }
    }
    next();
  };
}

/** Waits for the request's rate limit answer: sets the `RateLimit-*` headers, or throws `RATE_LIMITED`. */
export async function admit(req: Request, res: Response): Promise<void> {
  const decision = await req.admission;
  if (!decision) return;
  res.setHeader('RateLimit-Limit', decision.limit);
  res.setHeader('RateLimit-Remaining', decision.remaining);
  res.setHeader('RateLimit-Reset', Math.ceil(decision.resetMs / 1_000));
  if (decision.allowed) return;
  const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1_000));
  res.setHeader('Retry-After', retryAfter);
  throw new GantryError('RATE_LIMITED', `this API key is over its rate limit; retry in ${retryAfter} s`, {
    details: {
      limit: 'requests_per_second',
      rate_per_s: decision.ratePerSecond,
      burst: decision.limit,
      retry_after_s: retryAfter,
    },
  });
}
