import type { ErrorCode, ErrorInfo } from '@gantry/contracts';
import type { Job } from './job-types.js';
import type { PipelineRun } from './workflow-types.js';

/** Every error this client throws. */
export class GantryError extends Error {
  override name = 'GantryError';
}

/** The gateway could not be reached (or the connection broke) after the client's retries. */
export class ConnectionError extends GantryError {
  override name = 'ConnectionError';
}

/**
 * The API answered with an error: its stable `code` (the README's table), whether trying again may
 * help, its `details` and the request id the gateway's log names.
 */
export class GantryApiError extends GantryError {
  override name = 'GantryApiError';
  readonly code: ErrorCode | (string & {});
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | null;

  constructor(
    readonly status: number,
    info: ErrorInfo,
    readonly requestId: string | null,
    /** Seconds the gateway asked to wait (`Retry-After`), where it said. */
    readonly retryAfterS: number | null = null,
  ) {
    super(info.message);
    this.code = info.code;
    this.retryable = info.retryable;
    this.details = info.details;
  }
}

/** 401: missing, unknown or revoked API key. */
export class AuthenticationError extends GantryApiError {
  override name = 'AuthenticationError';
}
/** 403: the key lacks the scope the route needs. */
export class PermissionDeniedError extends GantryApiError {
  override name = 'PermissionDeniedError';
}
/** 404: no such job, blob, key, worker or job type. */
export class NotFoundError extends GantryApiError {
  override name = 'NotFoundError';
}
/** 409: an Idempotency-Key reused with another body, or a job that already ended. */
export class ConflictError extends GantryApiError {
  override name = 'ConflictError';
}
/** 400, 413, 415, 422: the request or its input does not fit (`details.issues` for the input). */
export class InvalidRequestError extends GantryApiError {
  override name = 'InvalidRequestError';
}
/** 429: a rate limit or tenant quota; `retryAfterS` says when to try again. */
export class RateLimitError extends GantryApiError {
  override name = 'RateLimitError';
}
/** 5xx: the gateway or what it depends on failed; retryable ones were retried already. */
export class ServerError extends GantryApiError {
  override name = 'ServerError';
}

const byStatus: Record<number, typeof GantryApiError> = {
  400: InvalidRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  413: InvalidRequestError,
  415: InvalidRequestError,
  422: InvalidRequestError,
  429: RateLimitError,
};

/** The typed error for an error answer; a body that is not the API's error shape still gets a code. */
export function apiError(
  status: number,
  body: unknown,
  requestId: string | null,
  retryAfterS: number | null,
): GantryApiError {
  const info = (body as { error?: ErrorInfo } | null)?.error;
  const error: ErrorInfo =
    info && typeof info.code === 'string'
      ? info
      : {
          code: status >= 500 ? 'INTERNAL' : 'BAD_REQUEST',
          message: `HTTP ${status}`,
          retryable: status >= 500,
          details: null,
        };
  const ErrorClass = byStatus[status] ?? (status >= 500 ? ServerError : GantryApiError);
  return new ErrorClass(status, error, requestId, retryAfterS);
}

/** `run` waited for a job that ended without succeeding: `job.error.code` says why. */
export class JobFailedError<T extends string = string> extends GantryError {
  override name = 'JobFailedError';
  readonly code: string;

  constructor(readonly job: Job<T>) {
    super(`job ${job.id} ${job.status}${job.error ? `: ${job.error.code}: ${job.error.message}` : ''}`);
    this.code = job.error?.code ?? job.status.toUpperCase();
  }
}

/** `runPipeline` waited for a run that ended without succeeding: `run.error` and its failed `steps` say why. */
export class PipelineRunFailedError extends GantryError {
  override name = 'PipelineRunFailedError';
  readonly code: string;

  constructor(readonly run: PipelineRun) {
    super(
      `pipeline run ${run.id} ${run.status}${run.error ? `: ${run.error.code}: ${run.error.message}` : ''}`,
    );
    this.code = run.error?.code ?? run.status.toUpperCase();
  }
}

/**
 * `run` or `runPipeline` gave up waiting (its `timeoutMs`) while the job still ran; `job` is how it was then
 * (a pipeline run is a job too, of type `pipeline`).
 */
export class WaitTimeoutError<T extends string = string> extends GantryError {
  override name = 'WaitTimeoutError';

  constructor(readonly job: Job<T>) {
    super(`job ${job.id} still ${job.status} when the wait ran out`);
  }
}
