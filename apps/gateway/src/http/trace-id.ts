import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

declare module 'express-serve-static-core' {
  interface Request {
    traceId?: string;
  }
}

const traceparent = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/**
 * One trace id per request — from a W3C `traceparent`, else `X-Request-Id`, else new — echoed in
 * `X-Trace-Id` and carried with the job so gateway, worker and engine logs line up.
 */
export const traceId: RequestHandler = (req, res, next) => {
  const fromParent = traceparent.exec(req.header('traceparent') ?? '')?.[1];
  const fromRequestId = /^[\w-]{8,64}$/.exec(req.header('x-request-id') ?? '')?.[0];
  // randomUUID draws from a cached entropy pool; randomBytes would read the system source on every request.
  req.traceId = fromParent ?? fromRequestId ?? randomUUID().replaceAll('-', '');
  res.setHeader('X-Trace-Id', req.traceId);
  next();
};
