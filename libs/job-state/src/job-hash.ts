import { type JobColumn, jobColumns } from './job-columns.js';
import type { JobChange, JobRecord } from './job-record.js';

const columnsByName = new Map(jobColumns.map((column) => [column.name as string, column]));
const stateColumns = jobColumns.filter((column) => !column.creation && column.name !== 'seq');

const int32Max = 2_147_483_647;

/**
 * Hash fields for the parts of a record given (every field is a string; '' means null). `omitEmpty`
 * leaves the nulls out, for a new hash where a missing field reads back as null too.
 */
export function toHashFields(record: Partial<JobRecord>, omitEmpty = false): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const key in record) {
    const value = record[key as keyof JobRecord];
    if (value === undefined || key === 'seq') continue;
    const field =
      value === null ? '' : columnsByName.get(key)?.type === 'jsonb' ? JSON.stringify(value) : String(value);
    if (field !== '' || !omitEmpty) fields[key] = field;
  }
  return fields;
}

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

const missing = Symbol('missing');

/** One hash field typed by its column; `missing` when a required field has no usable value. */
function decode(column: JobColumn, value: string | undefined): unknown {
  let decoded: unknown;
  switch (column.type) {
    case 'text':
      decoded = value === undefined || value === '' ? null : value;
      break;
    case 'timestamptz':
      decoded = toTimestamp(value);
      break;
    case 'jsonb':
      decoded = toJson(value);
      break;
    case 'integer':
    case 'real': {
      const number = column.type === 'integer' ? toInt(value) : value ? Number(value) : NaN;
      decoded =
        number === null || !Number.isFinite(number)
          ? column.fallback
          : Math.min(column.max, Math.max(column.min, number));
    }
  }
  return decoded === null && !column.nullable ? missing : decoded;
}

/**
 * A job hash (or the fields a records entry carries) typed field by field, with values Postgres is
 * certain to accept. The recorder retries a failed batch until it lands, so a value Postgres would
 * reject (a bad timestamp, an int past 2^31) must never reach it: it would stall the records stream
 * forever. Null when the hash is gone or too incomplete to be a job (e.g. no tenant or creation time).
 */
export function fromHashFields(hash: Record<string, string>): JobRecord | null {
  const record: Record<string, unknown> = {};
  for (const column of jobColumns) {
    const value = decode(column, hash[column.name]);
    if (value === missing) return null;
    record[column.name] = value;
  }
  return record as JobRecord;
}

/** The state fields of a job (from its hash, or from a records entry); null without a status. */
export function stateFromHash(id: string, seq: number, state: Record<string, string>): JobChange | null {
  const change: Record<string, unknown> = { id, seq };
  for (const column of stateColumns) {
    const value = decode(column, state[column.name]);
    if (value === missing) return null;
    change[column.name] = value;
  }
  return change as JobChange;
}
