import { GantryError } from '@gantry/contracts';
import {
  BrokenCircuitError,
  circuitBreaker,
  ConsecutiveBreaker,
  DelegateBackoff,
  handleWhen,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
} from 'cockatiel';
import type { GenerativeProvider } from './generative-provider.js';
import { ProviderFailure } from './provider-failure.js';

export interface ResilienceSettings {
  /** One request's limit, streaming included. */
  timeoutMs: number;
  /** Retries of a 429 before the job fails (retryable) with LLM_PROVIDER_UNAVAILABLE. */
  rateLimitRetries: number;
  /** First backoff of a 429 without Retry-After; doubles per retry. */
  backoffMs: number;
  /** A Retry-After longer than this is not waited out here: the job fails and BullMQ retries it later. */
  maxRetryAfterMs: number;
  /** Consecutive outages (unreachable, 5xx, timeout) that open the circuit… */
  breakerThreshold: number;
  /** …and how long it stays open before one trial request goes through. */
  breakerHalfOpenMs: number;
}

export const defaultResilience: Omit<ResilienceSettings, 'timeoutMs'> = {
  rateLimitRetries: 3,
  backoffMs: 1_000,
  maxRetryAfterMs: 30_000,
  breakerThreshold: 5,
  breakerHalfOpenMs: 30_000,
};

// By class: cockatiel 3.2.1's own timeout predicate tests the wrong marker and is always false.
const isTimeout = (error: unknown) => error instanceof TaskCancelledError;
const isRateLimit = (error: unknown) => error instanceof ProviderFailure && error.kind === 'rate_limited';

function unavailable(
  provider: GenerativeProvider,
  reason: string,
  message: string,
  extra = {},
  cause?: unknown,
) {
  return new GantryError('LLM_PROVIDER_UNAVAILABLE', `${provider.name} (${provider.model}): ${message}`, {
    details: { provider: provider.name, model: provider.model, reason, ...extra },
    cause,
  });
}

/**
 * A provider behind cockatiel's policies, outermost first: retry of 429s (Retry-After honoured, else
 * exponential backoff), a circuit breaker that opens after consecutive outages, and a per-request
 * timeout. The breaker lives as long as this engine process, so each process judges the provider on
 * its own requests. Every failure leaves as a GantryError with a clear code, never swallowed.
 */
export function withResilience(
  provider: GenerativeProvider,
  settings: ResilienceSettings,
): GenerativeProvider {
  const retryAfter = (error: unknown, attempt: number) => {
    const named = error instanceof ProviderFailure ? error.retryAfterMs : null;
    return named ?? settings.backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
  };
  const rateLimited = retry(
    handleWhen((error) => isRateLimit(error) && retryAfter(error, 1) <= settings.maxRetryAfterMs),
    {
      maxAttempts: settings.rateLimitRetries,
      backoff: new DelegateBackoff((context) =>
        'error' in context.result ? retryAfter(context.result.error, context.attempt) : 0,
      ),
    },
  );
  const breaker = circuitBreaker(
    handleWhen(
      (error) => isTimeout(error) || (error instanceof ProviderFailure && error.kind === 'unavailable'),
    ),
    { halfOpenAfter: settings.breakerHalfOpenMs, breaker: new ConsecutiveBreaker(settings.breakerThreshold) },
  );
  const perRequest = timeout(settings.timeoutMs, TimeoutStrategy.Aggressive);
  const policy = wrap(rateLimited, breaker, perRequest);

  const toGantryError = (error: unknown, jobSignal: AbortSignal | undefined): unknown => {
    if (jobSignal?.aborted) return jobSignal.reason;
    if (error instanceof GantryError) return error;
    if (error instanceof BrokenCircuitError) {
      return unavailable(provider, 'circuit_open', 'circuit breaker open after repeated failures', {
        retry_in_ms: settings.breakerHalfOpenMs,
      });
    }
    if (isTimeout(error)) {
      return unavailable(provider, 'timeout', `no answer within ${settings.timeoutMs} ms`, {}, error);
    }
    if (error instanceof ProviderFailure) {
      if (error.kind === 'rejected') {
        return new GantryError(
          'LLM_PROVIDER_REJECTED',
          `${provider.name} refused the request: ${error.message}`,
          {
            details: { provider: provider.name, model: provider.model, status: error.status },
            cause: error,
          },
        );
      }
      return error.kind === 'rate_limited'
        ? unavailable(
            provider,
            'rate_limited',
            'still rate limited after retries',
            {
              status: 429,
              retry_after_ms: error.retryAfterMs,
            },
            error,
          )
        : unavailable(
            provider,
            error.status ? 'server_error' : 'unreachable',
            error.message,
            {
              status: error.status,
            },
            error,
          );
    }
    return error;
  };

  return {
    name: provider.name,
    model: provider.model,
    async generate(prompt, options = {}) {
      try {
        return await policy.execute(
          ({ signal }) => provider.generate(prompt, { ...options, signal }),
          options.signal,
        );
      } catch (error) {
        throw toGantryError(error, options.signal);
      }
    },
  };
}
