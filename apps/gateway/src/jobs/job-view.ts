import type { JobObject } from '@gantry/contracts';
import type { JobRecord } from '@gantry/queue-runtime';

/** A stored job (Redis hash or Postgres row) as the API answers it. */
export function toJobObject(
  record: JobRecord,
  statusReason: string | null = record.status_reason,
): JobObject {
  const base = `/v1/jobs/${record.id}`;
  return {
    id: record.id,
    type: record.type,
    status: record.status,
    status_reason: statusReason,
    priority: record.priority,
    attempt: record.attempt,
    max_attempts: record.max_attempts,
    progress: { pct: record.progress_pct, message: record.progress_message },
    input: record.input,
    output: record.output ?? null,
    error: record.error,
    model: record.model,
    worker: record.worker,
    created_at: record.created_at,
    started_at: record.started_at,
    completed_at: record.completed_at,
    urls: { get: base, cancel: `${base}/cancel`, events: `${base}/events` },
  };
}
