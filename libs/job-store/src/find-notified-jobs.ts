import type { JobRecord } from '@gantry/job-state';
import type pg from 'pg';
import { toDatabaseError } from './database-error.js';
import { jobRowColumns, type JobRowFromDb, toJobRow } from './job-row.js';

/**
 * Of `ids`, the jobs that asked for a webhook or an e-mail report, as recorded. One primary-key query per
 * recorder batch; jobs without notifications (most) cost only the index probe.
 */
export async function findNotifiedJobs(pool: pg.Pool, ids: readonly string[]): Promise<JobRecord[]> {
  if (ids.length === 0) return [];
  try {
    const { rows } = await pool.query<JobRowFromDb>(
      `SELECT ${jobRowColumns} FROM jobs
        WHERE id = ANY($1::text[]) AND (webhook IS NOT NULL OR email IS NOT NULL)`,
      [ids],
    );
    return rows.map(toJobRow);
  } catch (error) {
    throw toDatabaseError(error);
  }
}
