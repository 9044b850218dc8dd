import { GantryError } from '@gantry/contracts';
import type { Logger } from '@gantry/observability';
import type { ErrorRequestHandler } from 'express';
import { sendError } from './send-error.js';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

/** Normalises every error once, at the edge: typed errors pass through, the rest become INTERNAL. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) {
      res.end();
      return;
    }
    sendError(res, normalise(error, logger, req.method, req.originalUrl, req.traceId ?? null));
  };
}

function normalise(
  error: unknown,
  logger: Logger,
  method: string,
  url: string,
  traceId: string | null,
): GantryError {
  if (error instanceof GantryError) return error;
  const parserError = error as BodyParserError;
  switch (parserError.type) {
    case 'entity.too.large':
      return new GantryError('PAYLOAD_TOO_LARGE', `JSON body is over the ${parserError.limit}-byte limit`, {
        details: { limit_bytes: parserError.limit },
      });
    case 'entity.parse.failed':
      return new GantryError('BAD_REQUEST', 'request body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new GantryError('UNSUPPORTED_MEDIA_TYPE', parserError.message);
    default:
      if (isRedisDown(error)) return new GantryError('QUEUE_UNAVAILABLE', 'the queue (Redis) is unreachable');
      logger.error({ err: error, method, url, traceId }, 'unhandled error');
      return new GantryError('INTERNAL', 'internal error');
  }
}

/** ioredis with no offline queue rejects at once when disconnected; a slow Redis times out. */
function isRedisDown(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /Stream isn't writeable|Connection is closed|Command timed out|ECONNREFUSED|MaxRetriesPerRequest|enableOfflineQueue/.test(
    message,
  );
}
