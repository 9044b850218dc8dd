import type { JobStatus } from '@gantry/contracts';
import { jobColumns, type JobRecord } from '@gantry/job-state';

/** A stored job: the job record (times as RFC 3339) plus when the row last changed. */
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

/** Every column of the job record, then the row's own. */
export const jobRowColumns = [...jobColumns.map((column) => column.name), 'updated_at'].join(', ');

const timeColumns = [
  ...jobColumns.filter((column) => column.type === 'timestamptz').map((column) => column.name as string),
  'updated_at',
];

/** The row as node-postgres returns it: timestamptz as Date (or null), jsonb already parsed. */
export type JobRowFromDb = Record<string, unknown>;

export function toJobRow(row: JobRowFromDb): JobRow {
  const converted = { ...row };
  for (const name of timeColumns) {
    const value = row[name];
    if (value instanceof Date) converted[name] = value.toISOString();
  }
  return converted as unknown as JobRow;
}
