import type { JobRecord, JobStateField } from '@gantry/contracts';

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

/** What a status change's records entry brings: the job's state fields after the change. */
export type JobChange = Pick<JobSnapshot, 'id' | 'seq' | JobStateField>;

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
  const { id, tenant, type, queue } = hash;
  if (!id || !tenant || !type || !queue || createdAt === null || seq === null) return null;
  const change = changeFromState(id, seq, hash);
  if (!change) return null;
  return {
    ...change,
    tenant,
    type,
    queue,
    priority: toInt(hash['priority']),
    max_attempts: toInt(hash['max_attempts']) ?? 1,
    input: toJson(hash['input']),
    idempotency_key: text(hash['idempotency_key']),
    created_at: createdAt,
  };
}

/** The state fields of a job (from its hash, or from a records entry); null without a status. */
export function changeFromState(id: string, seq: number, state: Record<string, string>): JobChange | null {
  const { status } = state;
  if (!status) return null;
  const progress = Number(state['progress_pct']);
  return {
    id,
    seq,
    status,
    status_reason: text(state['status_reason']),
    attempt: toInt(state['attempt']) ?? 0,
    progress_pct: Number.isFinite(progress) ? Math.min(100, Math.max(0, progress)) : 0,
    progress_message: text(state['progress_message']),
    output: toJson(state['output']),
    error: toJson(state['error']),
    model: toJson(state['model']),
    worker: text(state['worker']),
    started_at: toTimestamp(state['started_at']),
    completed_at: toTimestamp(state['completed_at']),
  };
}
