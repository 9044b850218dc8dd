import type { ErrorInfo } from './error-body.js';
import { type ErrorCode, errorCodes, isErrorCode } from './error-codes.js';

/**
 * A typed error with a registry code. Thrown by gateway routes and worker handlers alike;
 * anything else is normalised once, at the edge, with `GantryError.from`.
 */
export class GantryError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | null;
  readonly retryable: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'GantryError';
    this.code = code;
    this.details = options.details ?? null;
    this.retryable = options.retryable ?? errorCodes[code].retryable;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message, retryable: this.retryable, details: this.details };
  }

  /**
   * The error `toInfo` described, again, where it crossed a process or thread boundary: code,
   * message, retryability and details as they were; a code this build does not know becomes `fallback`.
   */
  static fromInfo(info: ErrorInfo, fallback: ErrorCode = 'INTERNAL'): GantryError {
    return new GantryError(isErrorCode(info.code) ? info.code : fallback, info.message, {
      retryable: info.retryable,
      ...(info.details ? { details: info.details } : {}),
    });
  }

  static from(error: unknown, fallback: ErrorCode = 'INTERNAL'): GantryError {
    if (error instanceof GantryError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new GantryError(fallback, message, { cause: error });
  }
}
