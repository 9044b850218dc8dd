import type { JobRecord } from '@gantry/contracts';

/**
 * A job hash (every field a string, '' = null) turned into typed values that Postgres is certain to
 * accept. The recorder retries a failed batch until it lands, so a value Postgres would reject (a bad
 * timestamp, an int past 2^31) must never reach it: it would stall the records stream forever.
 */
export type JobSnapshot = Omit<JobRecord, 'status' | 'error' | 'model'> & {
  status: string;
  error: unknown;
  model: unknown;
};

const int32Max = 2_147_483_647;

const text = (value: string | undefined): string | null =>
  value === undefined || value === '' ? null : value;

export function toInt(value: string | undefined): number | null {
  if (value === undefined || !/^-?\d+$/.test(value.trim())) return null;
  const parsed = Number(value);
  return Math.abs(parsed) > int32Max ? null : parsed;
}

/** RFC 3339 in UTC with millisecond precision (what Date keeps), or null when unparseable. */
export function toTimestamp(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  const date = new Date(value);
  const year = date.getUTCFullYear();
  return Number.isNaN(date.getTime()) || year < 1 || year > 9999 ? null : date.toISOString();
}

/** Parsed JSON; text that is not JSON is kept as a JSON string rather than dropped. */
export function toJson(value: string | undefined): unknown {
  if (value === undefined || value === '') return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** Null when the hash is gone or too incomplete to be a job row (e.g. recreated by a late progress write). */
export function snapshotFromHash(hash: Record<string, string>): JobSnapshot | null {
  const createdAt = toTimestamp(hash['created_at']);
  const seq = toInt(hash['seq']);
  const { id, tenant, type, queue, status } = hash;
  if (!id || !tenant || !type || !queue || !status || createdAt === null || seq === null) return null;
  const progress = Number(hash['progress_pct']);
  return {
    id,
    tenant,
    type,
    queue,
    status,
    status_reason: text(hash['status_reason']),
    priority: toInt(hash['priority']),
    attempt: toInt(hash['attempt']) ?? 0,
    max_attempts: toInt(hash['max_attempts']) ?? 1,
    progress_pct: Number.isFinite(progress) ? Math.min(100, Math.max(0, progress)) : 0,
    progress_message: text(hash['progress_message']),
    input: toJson(hash['input']),
    output: toJson(hash['output']),
    error: toJson(hash['error']),
    model: toJson(hash['model']),
    worker: text(hash['worker']),
    idempotency_key: text(hash['idempotency_key']),
    created_at: createdAt,
    started_at: toTimestamp(hash['started_at']),
    completed_at: toTimestamp(hash['completed_at']),
    seq,
  };
}
