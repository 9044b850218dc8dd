import type { ErrorBody } from '@gantry/contracts';
import { GantryError } from '@gantry/contracts';
import type { Response } from 'express';

/** The wire error, and the id of the request that got it (also in `X-Request-Id` and the log line). */
export type GatewayErrorBody = ErrorBody & { request_id: string | null };

/** The one error shape on the wire: `{ error: { code, message, retryable, details }, request_id }`. */
export function sendError(res: Response, error: GantryError): void {
  if (error.code === 'QUEUE_UNAVAILABLE' || error.code === 'DATABASE_UNAVAILABLE')
    res.setHeader('Retry-After', '2');
  const retryAfter = error.details?.['retry_after_s'];
  if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
  const body: GatewayErrorBody = { error: error.toInfo(), request_id: res.req.requestId ?? null };
  res.status(error.status).json(body);
}

export const notFound = (what: 'job' | 'blob', id: string) =>
  new GantryError(what === 'job' ? 'JOB_NOT_FOUND' : 'BLOB_NOT_FOUND', `no ${what} ${id}`);
