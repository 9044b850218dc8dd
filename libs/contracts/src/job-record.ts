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
