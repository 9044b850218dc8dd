import { type JobChange, jobColumns, type JobRecord, type RecordEntry } from '@gantry/job-state';
import type pg from 'pg';

/** The batch's rows as json_to_recordset reads them: every column of the job record, typed. */
const jobColumnTypes = jobColumns.map((column) => `${column.name} ${column.type}`).join(', ');

const jobFields = jobColumns.map((column) => column.name).filter((name) => name !== 'id');

/**
 * An update writes only what a job's changes may alter; what it was created with (a large input's
 * TOAST above all) is left alone.
 */
const changingFields = jobColumns.filter((column) => !column.creation).map((column) => column.name);

/** Creation fields a row cannot be without: a change alone (no creation fields) takes them from the row. */
const requiredCreationFields = new Set(
  jobColumns
    .filter((column) => column.creation && !column.nullable && column.name !== 'id')
    .map((column) => column.name),
);

const proposedValue = (field: keyof JobRecord) =>
  requiredCreationFields.has(field) ? `coalesce(r.${field}, cur.${field})` : `r.${field}`;

// One pass over the batch's rows, whole snapshots and changes alike: a change (no tenant) is only
// proposed when its row exists, and then always conflicts, so the creation fields it borrows from the
// row (to satisfy NOT NULL, which PostgreSQL checks before the conflict) are never written. Rows are
// sorted by key so that concurrent recorders lock overlapping rows in the same order (no deadlocks),
// and the WHERE keeps an older snapshot from overwriting a newer one. The batch is read as json, not
// jsonb, so that only its jsonb columns are parsed into jsonb (5–10 % less database CPU).
const upsertJobs = `
  INSERT INTO jobs AS j (id, ${jobFields.join(', ')}, updated_at)
  SELECT r.id, ${jobFields.map(proposedValue).join(', ')}, now()
  FROM json_to_recordset($1::json) AS r(${jobColumnTypes})
  LEFT JOIN jobs AS cur ON r.tenant IS NULL AND cur.id = r.id
  WHERE r.tenant IS NOT NULL OR cur.id IS NOT NULL
  ORDER BY r.id
  ON CONFLICT (id) DO UPDATE SET ${changingFields.map((field) => `${field} = EXCLUDED.${field}`).join(', ')},
    updated_at = now()
  WHERE j.seq < EXCLUDED.seq`;

const insertEvents = `
  INSERT INTO job_events (job_id, seq, status, at, data)
  SELECT e.job_id, e.seq, e.status, e.at, coalesce(e.data, '{}'::jsonb)
  FROM json_to_recordset($2::json) AS e(job_id text, seq integer, status text, at timestamptz, data jsonb)
  ORDER BY e.job_id, e.seq
  ON CONFLICT (job_id, seq) DO NOTHING`;

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function clean(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('\u0000', '').replace(loneSurrogate, '\uFFFD');
  if (Array.isArray(value)) return value.map(clean);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [clean(key), clean(item)]));
  }
  return value;
}

/**
 * JSON for a batch parameter. Postgres refuses NUL characters and lone surrogates in jsonb and text,
 * which JSON.stringify escapes as \u0000 and \udXXX; such values are repaired instead of refused.
 */
export function toJsonParam(value: unknown): string {
  const json = JSON.stringify(value);
  return /\\u0000|\\ud[89a-f]/i.test(json) ? JSON.stringify(clean(value)) : json;
}

export interface WriteResult {
  /** Job rows inserted or updated (an older snapshot than the stored row counts as 0). */
  jobs: number;
  /** History rows inserted (a row already there counts as 0). */
  events: number;
  /** Jobs of the changes whose row is not there yet: their whole snapshot must be written instead. */
  missing: string[];
}

// One statement, so one round trip and its own transaction: both inserts or neither. PostgreSQL runs
// the two as the final SELECT reads them, jobs first, in every recorder alike: two recorders that
// handle the same entries (after a reclaim) then queue on the same row instead of deadlocking.
const writeBatch = `
  WITH written_jobs AS (${upsertJobs} RETURNING 1),
    written_events AS (${insertEvents} RETURNING 1)
  SELECT (SELECT count(*) FROM written_jobs)::int AS jobs,
    (SELECT count(*) FROM written_events)::int AS events,
    (SELECT coalesce(array_agg(c.id), '{}') FROM unnest($3::text[]) AS c(id)
      WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.id = c.id)) AS missing`;

/**
 * Writes one batch, all or nothing: whole snapshots are upserted, changes update rows already there
 * (those that are not are returned as `missing`), history rows are inserted.
 */
export async function writeRecords(
  pool: pg.Pool,
  rows: { jobs: readonly JobRecord[]; changes: readonly JobChange[] },
  events: readonly RecordEntry[],
): Promise<WriteResult> {
  const eventRows = events.map((event) => ({
    job_id: event.jobId,
    seq: event.seq,
    status: event.status,
    at: event.at,
    data: event.data,
  }));
  const { rows: result } = await pool.query<WriteResult>(writeBatch, [
    toJsonParam([...rows.jobs, ...rows.changes]),
    toJsonParam(eventRows),
    rows.changes.map((change) => change.id),
  ]);
  return result[0] ?? { jobs: 0, events: 0, missing: [] };
}
