import { GantryError } from '@gantry/contracts';
import type { ApiKeyIdentity, ApiKeyRepository } from '@gantry/job-store';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

declare module 'express-serve-static-core' {
  interface Request {
    auth?: ApiKeyIdentity;
  }
}

/** `Authorization: Bearer <key>`; the key's SHA-256 is looked up (cached) and names the tenant. */
export function authenticate(keys: ApiKeyRepository): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      next(new GantryError('UNAUTHORIZED', 'send an API key as "Authorization: Bearer <key>"'));
      return;
    }
    keys
      .verify(match[1])
      .then((identity) => {
        if (!identity) throw new GantryError('UNAUTHORIZED', 'unknown or revoked API key');
        req.auth = identity;
        next();
      }, next)
      .catch(next);
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
