import { type ErrorCode, GantryError } from '@gantry/contracts';
import type { Logger } from '@gantry/observability';
import type { ErrorRequestHandler } from 'express';
import { sendError } from './send-error.js';

interface HttpError extends Error {
  type?: string;
  status?: number;
  statusCode?: number;
  limit?: number;
}

/** Client errors of Express's own parts (static files, path decoding) by their status. */
const byStatus: Record<number, ErrorCode> = {
  403: 'NOT_FOUND',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * Normalises every error once, at the edge: typed errors pass through, the rest become INTERNAL. The
 * body never carries a stack or a file path (a message of an unknown error stays in the log); the log
 * line carries the request id the body shows. Refusals a flood would repeat (401, 429) log at debug.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const context = {
      method: req.method,
      url: req.originalUrl,
      requestId: req.requestId,
      traceId: req.traceId,
    };
    if (res.headersSent) {
      // Too late for an error body (a stream had begun): the client sees it end, the log says why.
      logger.error({ ...context, err: error }, 'request failed after its answer began');
      res.end();
      return;
    }
    const typed = normalise(error);
    if (typed.status >= 500) logger.error({ ...context, err: error, code: typed.code }, 'request failed');
    else if (typed.status === 401 || typed.status === 429)
      logger.debug({ ...context, code: typed.code }, 'request refused');
    else logger.info({ ...context, code: typed.code, status: typed.status }, 'request refused');
    sendError(res, typed);
  };
}

/** A JSON body over the limit; `hint` says what the client may do instead. */
export function jsonTooLarge(limit: number | undefined, hint?: string): GantryError {
  return new GantryError(
    'PAYLOAD_TOO_LARGE',
    `JSON body is over the ${limit}-byte limit${hint ? `; ${hint}` : ''}`,
    { details: { limit_bytes: limit } },
  );
}

function normalise(error: unknown): GantryError {
  if (error instanceof GantryError) return error;
  const httpError = error as HttpError;
  switch (httpError.type) {
    case 'entity.too.large':
      return jsonTooLarge(httpError.limit);
    case 'entity.parse.failed':
      return new GantryError('BAD_REQUEST', 'request body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new GantryError('UNSUPPORTED_MEDIA_TYPE', 'unsupported body encoding or charset');
    default: {
      if (isRedisDown(error)) return new GantryError('QUEUE_UNAVAILABLE', 'the queue (Redis) is unreachable');
      const status = httpError.status ?? httpError.statusCode;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        const code = byStatus[status] ?? 'BAD_REQUEST';
        return new GantryError(code, code === 'NOT_FOUND' ? 'not found' : 'bad request');
      }
      return new GantryError('INTERNAL', 'internal error');
    }
  }
}

/** ioredis with no offline queue rejects at once when disconnected; a slow Redis times out. */
function isRedisDown(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /Stream isn't writeable|Connection is closed|Command timed out|ECONNREFUSED|MaxRetriesPerRequest|enableOfflineQueue/.test(
    message,
  );
}
