import type { JobRecord, JobStatus } from '@gantry/contracts';

/**
 * A stored job: the fields of its Redis hash (snake_case, '' read back as null, JSON parsed,
 * times as RFC 3339) plus when the row last changed.
 */
export interface JobRow extends JobRecord {
  updated_at: string;
}

/** One status change of a job, in seq order. */
export interface JobEvent {
  job_id: string;
  seq: number;
  status: JobStatus;
  at: string;
  data: Record<string, unknown>;
}

export const jobRowColumns = `id, tenant, type, queue, status, status_reason, priority, attempt, max_attempts,
  progress_pct, progress_message, input, output, error, model, worker, idempotency_key,
  created_at, started_at, completed_at, seq, updated_at`;

/** The row as node-postgres returns it: timestamptz as Date, jsonb already parsed. */
export type JobRowFromDb = Omit<JobRow, 'created_at' | 'started_at' | 'completed_at' | 'updated_at'> & {
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  updated_at: Date;
};

export function toJobRow(row: JobRowFromDb): JobRow {
  return {
    ...row,
    created_at: row.created_at.toISOString(),
    started_at: row.started_at?.toISOString() ?? null,
    completed_at: row.completed_at?.toISOString() ?? null,
    updated_at: row.updated_at.toISOString(),
  };
}
