import type { ErrorInfo } from './error-body.js';
import type { JobStatus } from './job-status.js';
import type { ModelInfo } from './model-info.js';

/** A job as the services store it: its Redis hash, and the Postgres `jobs` row that mirrors it. */
export interface JobRecord {
  id: string;
  tenant: string;
  type: string;
  queue: string;
  status: JobStatus;
  status_reason: string | null;
  priority: number | null;
  attempt: number;
  max_attempts: number;
  progress_pct: number;
  progress_message: string | null;
  input: unknown;
  output: unknown;
  error: ErrorInfo | null;
  model: ModelInfo | null;
  worker: string | null;
  idempotency_key: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  seq: number;
}

/**
 * The fields a job's changes may alter after it is created (`seq` aside); the rest are set once.
 * A status change's records entry carries all of them as they are after the change, so the
 * Postgres row can be brought up to date without reading the hash back.
 */
export const jobStateFields = [
  'status',
  'status_reason',
  'attempt',
  'progress_pct',
  'progress_message',
  'output',
  'error',
  'model',
  'worker',
  'started_at',
  'completed_at',
] as const satisfies readonly (keyof JobRecord)[];

export type JobStateField = (typeof jobStateFields)[number];
