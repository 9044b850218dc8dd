import { GantryError } from '@gantry/contracts';
import type { ApiKeyIdentity, ApiKeyRepository } from '@gantry/job-store';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

declare module 'express-serve-static-core' {
  interface Request {
    auth?: ApiKeyIdentity;
  }
}

/**
 * `Authorization: Bearer <key>` on every `/v1/` route; the key's SHA-256 is looked up (cached) and
 * names the tenant. Mounted without a path: a mount path makes Express rewrite `req.url` on every request.
 */
export function authenticate(keys: ApiKeyRepository): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!req.path.startsWith('/v1/')) {
      next();
      return;
    }
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      next(new GantryError('UNAUTHORIZED', 'send an API key as "Authorization: Bearer <key>"'));
      return;
    }
    const accept = (identity: ApiKeyIdentity | null) => {
      if (!identity) next(new GantryError('UNAUTHORIZED', 'unknown or revoked API key'));
      else {
        req.auth = identity;
        next();
      }
    };
    const cached = keys.verifyCached(match[1]);
    if (cached !== undefined) accept(cached);
    else keys.verify(match[1]).then(accept, next).catch(next);
  };
}

export function requireScope(scope: 'jobs' | 'admin'): RequestHandler {
  return (req, _res, next) => {
    if (req.auth?.scopes.includes(scope)) next();
    else next(new GantryError('FORBIDDEN', `this route needs an API key with the "${scope}" scope`));
  };
}

/** The tenant of an authenticated request. */
export function tenantOf(req: Request): string {
  if (!req.auth) throw new GantryError('UNAUTHORIZED', 'not authenticated');
  return req.auth.tenant;
}
