import type { ErrorBody } from '@gantry/contracts';
import { GantryError } from '@gantry/contracts';
import type { Response } from 'express';

/** The one error shape on the wire: `{ error: { code, message, retryable, details } }`. */
export function sendError(res: Response, error: GantryError): void {
  if (error.code === 'QUEUE_UNAVAILABLE' || error.code === 'DATABASE_UNAVAILABLE')
    res.setHeader('Retry-After', '2');
  const body: ErrorBody = { error: error.toInfo() };
  res.status(error.status).json(body);
}

export const notFound = (what: 'job' | 'blob', id: string) =>
  new GantryError(what === 'job' ? 'JOB_NOT_FOUND' : 'BLOB_NOT_FOUND', `no ${what} ${id}`);
