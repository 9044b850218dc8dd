import { GantryError } from '@gantry/contracts';
import type { ApiKeyIdentity, ApiKeyRepository, ApiKeyScope } from '@gantry/job-store';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AuthGuard } from '../limits/auth-guard.js';
import { admit } from './limit-rate.js';

declare module 'express-serve-static-core' {
  interface Request {
    auth?: ApiKeyIdentity;
  }
}

/**
 * The only paths served without a key, compared exactly as they arrive: every other spelling
 * (`/V1/jobs`, `//v1/jobs`, `/v1/./jobs`, `%2F`…) and every unknown path needs a key, so auth never
 * depends on how the router happens to match a path.
 */
const publicPaths = new Set(['/healthz', '/readyz', '/openapi.json', '/docs', '/console']);
const publicAsset = /^\/(docs|console)\/assets\/[\w-][\w.-]*$/;
export const isPublicPath = (path: string) => publicPaths.has(path) || publicAsset.test(path);

const bearer = /^Bearer\s+(\S+)$/i;
const unauthorized = () => new GantryError('UNAUTHORIZED', 'unknown or revoked API key');

/**
 * `Authorization: Bearer <key>` on every route but the public ones; the key's SHA-256 is looked up
 * (cached) and names the tenant. A failed attempt costs no database query when the key is already known
 * to be bad or the address failed too often (the guard, shared by replicas through Redis). Mounted
 * without a path: a mount path makes Express rewrite `req.url` on every request.
 */
export function authenticate(keys: ApiKeyRepository, guard: AuthGuard): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (isPublicPath(req.path)) {
      next();
      return;
    }
    const key = bearer.exec(req.headers.authorization ?? '')?.[1];
    if (!key) {
      next(new GantryError('UNAUTHORIZED', 'send an API key as "Authorization: Bearer <key>"'));
      return;
    }
    const cached = keys.verifyCached(key);
    if (cached) {
      req.auth = cached;
      next();
      return;
    }
    const address = req.socket.remoteAddress ?? 'unknown';
    if (cached === null) {
      // Malformed, or known to be bad here: refused without a lookup, and counted.
      guard.failed(address, null).catch(() => undefined);
      next(unauthorized());
      return;
    }
    verifyUncached(keys, guard, address, key).then((identity) => {
      req.auth = identity;
      next();
    }, next);
  };
}

async function verifyUncached(
  keys: ApiKeyRepository,
  guard: AuthGuard,
  address: string,
  key: string,
): Promise<ApiKeyIdentity> {
  // The guard protects the database; with Redis away it steps aside rather than lock every client out.
  const verdict = await guard.before(address, key).catch(() => null);
  if (verdict?.refused) {
    const retryAfter = Math.max(1, Math.ceil(verdict.retryAfterMs / 1_000));
    throw new GantryError('RATE_LIMITED', 'too many failed authentications from this address', {
      details: {
        limit: 'failed_authentications_per_minute',
        value: guard.failuresPerMinute,
        retry_after_s: retryAfter,
      },
    });
  }
  const identity = verdict?.knownUnknown ? null : await keys.verify(key);
  if (identity) {
    guard.verified(key).catch(() => undefined);
    return identity;
  }
  await guard.failed(address, verdict?.knownUnknown ? null : key).catch(() => undefined);
  throw unauthorized();
}

/**
 * The key must have `scope`. Then the request waits for its rate limit answer, unless the route waits
 * for it itself (`deferAdmission`) to read its body meanwhile; such a route calls `admit` before its first
 * side effect.
 */
export function requireScope(scope: ApiKeyScope, options: { deferAdmission?: boolean } = {}): RequestHandler {
  return (req, res, next) => {
    if (!req.auth?.scopes.includes(scope)) {
      next(new GantryError('FORBIDDEN', `this route needs an API key with the "${scope}" scope`));
    } else if (options.deferAdmission || !req.admission) {
      next();
    } else {
      admit(req, res).then(() => next(), next);
    }
  };
}

export const hasScope = (req: Request, scope: ApiKeyScope): boolean =>
  req.auth?.scopes.includes(scope) ?? false;

/** The tenant of an authenticated request. */
export function tenantOf(req: Request): string {
  if (!req.auth) throw new GantryError('UNAUTHORIZED', 'not authenticated');
  return req.auth.tenant;
}
