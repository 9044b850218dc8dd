import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

declare module 'express-serve-static-core' {
  interface Request {
    traceId?: string;
    /** This request's id: in `X-Request-Id`, in error bodies and in their log lines. */
    requestId?: string;
  }
}

const traceparent = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;
/** An incoming id is kept only when it is short and plain: it ends up in logs and headers. */
const saneRequestId = /^[\w-]{8,64}$/;

/**
 * One request id per request — the caller's `X-Request-Id` when sane, else new — echoed in `X-Request-Id`;
 * one trace id — from a W3C `traceparent`, else the request id — echoed in `X-Trace-Id` and carried with
 * the job so gateway, worker and engine logs line up.
 */
export const traceId: RequestHandler = (req, res, next) => {
  const fromParent = traceparent.exec(req.header('traceparent') ?? '')?.[1];
  // randomUUID draws from a cached entropy pool; randomBytes would read the system source on every request.
  req.requestId =
    saneRequestId.exec(req.header('x-request-id') ?? '')?.[0] ?? randomUUID().replaceAll('-', '');
  req.traceId = fromParent ?? req.requestId;
  res.setHeader('X-Request-Id', req.requestId);
  res.setHeader('X-Trace-Id', req.traceId);
  next();
};
