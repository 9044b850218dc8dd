import type { JobRecord } from '@gantry/job-state';
import type pg from 'pg';
import { toDatabaseError } from './database-error.js';
import { jobRowColumns, type JobRowFromDb, toJobRow } from './job-row.js';

/**
 * Up to `limit` recorded jobs created before `createdBefore` that have not ended, oldest first, after
 * the job `after` (the last one of the previous page): what the gateways' overdue sweep ends
 * (JOB_MAX_LIFETIME_S). On the partial index of migration 10, which holds unfinished jobs only.
 */
export async function findOverdueJobs(
  pool: pg.Pool,
  createdBefore: Date,
  limit: number,
  after: Pick<JobRecord, 'created_at' | 'id'> | null = null,
): Promise<JobRecord[]> {
  try {
    const { rows } = await pool.query<JobRowFromDb>(
      `SELECT ${jobRowColumns} FROM jobs
        WHERE completed_at IS NULL AND created_at < $1
          AND ($3::timestamptz IS NULL OR (created_at, id) > ($3::timestamptz, $4::text))
        ORDER BY created_at, id
        LIMIT $2`,
      [createdBefore, limit, after?.created_at ?? null, after?.id ?? null],
    );
    return rows.map(toJobRow);
  } catch (error) {
    throw toDatabaseError(error);
  }
}
