import type pg from 'pg';
import { terminalStatuses } from '@gantry/contracts';
import { toDatabaseError } from './database-error.js';

/**
 * Which of `blobIds` a job still needs: one whose input names the blob and that is not final, or
 * ended less than `retentionSeconds` ago. A blob no job needs (its jobs passed retention, or its
 * job was never created) may be deleted. One query per batch, on the GIN index of migration 3.
 */
export async function findBlobsInUse(
  pool: pg.Pool,
  blobIds: readonly string[],
  retentionSeconds: number,
): Promise<Set<string>> {
  if (blobIds.length === 0) return new Set();
  try {
    // The expression is the index's (migration 3) to the letter, or the planner cannot use it.
    const { rows } = await pool.query<{ blob_id: string }>(
      `SELECT DISTINCT ref.blob_id
         FROM jobs,
              jsonb_array_elements_text(jsonb_path_query_array(input, '$.*.blob_id')) AS ref(blob_id)
        WHERE jsonb_path_query_array(input, '$.*.blob_id') ?| $1::text[]
          AND ref.blob_id = ANY($1::text[])
          AND (status <> ALL($2::text[])
               OR coalesce(completed_at, updated_at) > now() - make_interval(secs => $3))`,
      [blobIds, terminalStatuses, retentionSeconds],
    );
    return new Set(rows.map((row) => row.blob_id));
  } catch (error) {
    throw toDatabaseError(error);
  }
}
