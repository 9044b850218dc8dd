import { JobObject } from '@gantry/contracts';
import { JobRecord } from './job-record.js';

type WireField = keyof JobObject & keyof JobRecord;

/** The record's fields the API answers as they are; what only the services see stays out. */
const wireFields = Object.keys(JobObject.shape).filter((name): name is WireField => name in JobRecord.shape);

/** A stored job (Redis hash or Postgres row) as the API answers it. */
export function toJobObject(
  record: JobRecord,
  statusReason: string | null = record.status_reason,
): JobObject {
  const base = `/v1/jobs/${record.id}`;
  const wire: Record<string, unknown> = {};
  for (const name of wireFields) wire[name] = record[name];
  return {
    ...(wire as Pick<JobObject, WireField>),
    status_reason: statusReason,
    output: record.output ?? null,
    progress: { pct: record.progress_pct, message: record.progress_message },
    urls: { get: base, cancel: `${base}/cancel`, events: `${base}/events` },
  };
}
