import type { ErrorInfo, JobRecord, JobStatus, ModelInfo } from '@gantry/contracts';

export type { JobRecord };

const json = (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value));
const text = (value: string | number | null | undefined) =>
  value === null || value === undefined ? '' : String(value);

const jsonFields = new Set(['input', 'output', 'error', 'model']);

/**
 * Hash fields for the parts of a record given (every field is a string; '' means null). `omitEmpty`
 * leaves the nulls out, for a new hash where a missing field reads back as null too.
 */
export function toHashFields(record: Partial<JobRecord>, omitEmpty = false): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const key in record) {
    const value = record[key as keyof JobRecord];
    if (value === undefined || key === 'seq') continue;
    const field = jsonFields.has(key) ? json(value) : text(value as string | number | null);
    if (field !== '' || !omitEmpty) fields[key] = field;
  }
  return fields;
}

const orNull = (value: string | undefined) => (value === undefined || value === '' ? null : value);
const parsed = (value: string | undefined) =>
  value === undefined || value === '' ? null : JSON.parse(value);

export function fromHashFields(hash: Record<string, string>): JobRecord | null {
  if (!hash['id']) return null;
  return {
    id: hash['id'],
    tenant: hash['tenant'] ?? '',
    type: hash['type'] ?? '',
    queue: hash['queue'] ?? '',
    status: (hash['status'] ?? 'queued') as JobStatus,
    status_reason: orNull(hash['status_reason']),
    priority: hash['priority'] ? Number(hash['priority']) : null,
    attempt: Number(hash['attempt'] ?? 0),
    max_attempts: Number(hash['max_attempts'] ?? 1),
    progress_pct: Number(hash['progress_pct'] ?? 0),
    progress_message: orNull(hash['progress_message']),
    input: parsed(hash['input']),
    output: parsed(hash['output']),
    error: parsed(hash['error']) as ErrorInfo | null,
    model: parsed(hash['model']) as ModelInfo | null,
    worker: orNull(hash['worker']),
    idempotency_key: orNull(hash['idempotency_key']),
    created_at: hash['created_at'] ?? '',
    started_at: orNull(hash['started_at']),
    completed_at: orNull(hash['completed_at']),
    seq: Number(hash['seq'] ?? 0),
  };
}
