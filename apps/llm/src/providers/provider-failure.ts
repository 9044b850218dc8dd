/**
 * How a provider call failed, as the resilience policies need to know it: `rate_limited` is retried
 * after its Retry-After, `unavailable` counts towards the circuit breaker, `rejected` is final.
 */
export type ProviderFailureKind = 'rate_limited' | 'unavailable' | 'rejected';

export class ProviderFailure extends Error {
  readonly kind: ProviderFailureKind;
  readonly status: number | null;
  /** From Retry-After (or retry-after-ms) of a 429; null when the server named no delay. */
  readonly retryAfterMs: number | null;

  constructor(
    kind: ProviderFailureKind,
    message: string,
    options: { status?: number | null; retryAfterMs?: number | null; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ProviderFailure';
    this.kind = kind;
    this.status = options.status ?? null;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

interface HeaderSource {
  get(name: string): string | null | undefined;
}

/** Retry-After as seconds or an HTTP date, or OpenAI's retry-after-ms; null when absent or unreadable. */
function retryAfterMs(headers: HeaderSource | undefined, now = Date.now()): number | null {
  const ms = Number(headers?.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1_000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** An HTTP status as the resilience policies read it. */
export function failureForStatus(status: number, message: string, headers?: HeaderSource, cause?: unknown) {
  if (status === 429) {
    return new ProviderFailure('rate_limited', message, {
      status,
      retryAfterMs: retryAfterMs(headers),
      cause,
    });
  }
  if (status === 408 || status >= 500) return new ProviderFailure('unavailable', message, { status, cause });
  return new ProviderFailure('rejected', message, { status, cause });
}

const asRecord = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};

/**
 * Reads what the OpenAI SDK (status, headers), ollama-js (status_code) and fetch (TypeError on a
 * refused connection) throw. Anything without a status is the network: the provider is unreachable.
 */
export function classifyProviderError(error: unknown): ProviderFailure {
  if (error instanceof ProviderFailure) return error;
  const fields = asRecord(error);
  const message = error instanceof Error ? error.message : String(error);
  const status = typeof fields['status'] === 'number' ? fields['status'] : fields['status_code'];
  if (typeof status === 'number') {
    const headers = fields['headers'] instanceof Headers ? fields['headers'] : undefined;
    return failureForStatus(status, message, headers, error);
  }
  if (fields['name'] === 'ContextOverflowError')
    return new ProviderFailure('rejected', message, { cause: error });
  return new ProviderFailure('unavailable', message, { cause: error });
}
