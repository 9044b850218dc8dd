import {
  ConnectionError,
  GantryApiError,
  JobFailedError,
  PipelineRunFailedError,
  WaitTimeoutError,
} from '@gantry/client';

/** What `gantry` exits with, for scripts (README "CLI"). */
export const exitCodes = {
  ok: 0,
  /** The job (or pipeline run) ended without succeeding: failed, canceled, timed out or expired. */
  jobFailed: 1,
  /** Bad flags, bad `--input` JSON, a file that cannot be read, no API key. */
  usage: 2,
  /** The API refused the request (4xx): unknown type, invalid input, missing key or scope, no such job. */
  refused: 3,
  /** The gateway could not be reached, or failed (5xx), after the client's retries. */
  unavailable: 4,
  /** `--timeout` passed while the job still ran (it goes on). */
  waitTimedOut: 5,
  /** Ctrl-C (the job goes on; `gantry jobs cancel <id>` stops it). */
  interrupted: 130,
} as const;

/** A problem with how `gantry` was called, found before any request. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return exitCodes.usage;
  if (error instanceof JobFailedError || error instanceof PipelineRunFailedError) return exitCodes.jobFailed;
  if (error instanceof WaitTimeoutError) return exitCodes.waitTimedOut;
  if (error instanceof GantryApiError) return error.status >= 500 ? exitCodes.unavailable : exitCodes.refused;
  if (error instanceof ConnectionError) return exitCodes.unavailable;
  if (error instanceof Error && error.name === 'AbortError') return exitCodes.interrupted;
  return exitCodes.unavailable;
}
