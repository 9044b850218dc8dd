import type { JobPayload } from './job-payload.js';

/** The BullMQ backoff type of Gantry's jobs: BullMQ asks `retryDelayMs` (the worker's backoffStrategy). */
export const retryBackoff = 'gantry';

/**
 * How long a failed job waits before its next attempt: exponential from the job type's `backoffMs`,
 * less up to half of it so that jobs failed together do not come back together. The one place the
 * delay is computed: BullMQ schedules the retry with it, and the job's `retrying` record and event
 * report the same value. The jitter is drawn from the job id and attempt, so both get the same number.
 * `failures` counts this failure too (BullMQ's attemptsMade once it is recorded).
 */
export function retryDelayMs(payload: Pick<JobPayload, 'id' | 'backoff_ms'>, failures: number): number {
  const base = payload.backoff_ms * 2 ** Math.max(0, failures - 1);
  return Math.round(base * (1 - 0.5 * jitter(`${payload.id}:${failures}`)));
}

/** A fraction in [0, 1) from FNV-1a of the text. */
function jitter(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 2 ** 32;
}
