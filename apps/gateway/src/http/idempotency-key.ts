import { GantryError } from '@gantry/contracts';
import type { Request } from 'express';

/** As the OpenAPI document states it: a key is 1 to 255 characters. */
const maxIdempotencyKeyLength = 255;

/**
 * The request's `Idempotency-Key`, or undefined without one. An empty key, one over 255 characters or the
 * header sent twice (Node would join the two as "a, b", a key neither request meant) is refused up front,
 * before any upload is read: a retry that silently lost its key would make a second job.
 */
export function idempotencyKey(req: Request): string | undefined {
  const sent = req.headersDistinct['idempotency-key'];
  if (sent === undefined) return undefined;
  const [key = ''] = sent;
  if (sent.length > 1 || key.length === 0 || key.length > maxIdempotencyKeyLength) {
    throw new GantryError(
      'BAD_REQUEST',
      `send one Idempotency-Key of 1 to ${maxIdempotencyKeyLength} characters`,
      { details: { header: 'Idempotency-Key', count: sent.length, length: key.length } },
    );
  }
  return key;
}
