import type pg from 'pg';
import { terminalStatuses } from '@gantry/contracts';
import { toDatabaseError } from './database-error.js';

/**
 * Which of `blobIds` are still needed: by a job whose input names the blob and that is not final, or
 * ended less than `retentionSeconds` ago; by a batch's item that names it, while its batch is not final
 * or ended within the retention (an item waits in PostgreSQL, with no job yet, until the batch's window
 * reaches it; a batch whose job row is not there yet counts as live); or by a schedule (paused or not)
 * whose target names it, for as long as the schedule exists. A blob nothing needs (its jobs passed
 * retention, its schedules were deleted, or its job was never created) may be deleted. One query per
 * batch of blobs, on the GIN indexes of migrations 3, 8 and 11.
 */
export async function findBlobsInUse(
  pool: pg.Pool,
  blobIds: readonly string[],
  retentionSeconds: number,
): Promise<Set<string>> {
  if (blobIds.length === 0) return new Set();
  try {
    // Each expression is its index's (migrations 3 and 8) to the letter, or the planner cannot use it.
    const { rows } = await pool.query<{ blob_id: string }>(
      `SELECT ref.blob_id
         FROM jobs,
              jsonb_array_elements_text(jsonb_path_query_array(input, '$.*.blob_id')) AS ref(blob_id)
        WHERE jsonb_path_query_array(input, '$.*.blob_id') ?| $1::text[]
          AND ref.blob_id = ANY($1::text[])
          AND (status <> ALL($2::text[])
               OR coalesce(completed_at, updated_at) > now() - make_interval(secs => $3))
       UNION
       SELECT ref.blob_id
         FROM batch_items AS item
              LEFT JOIN jobs AS batch ON batch.id = item.batch_id,
              jsonb_array_elements_text(jsonb_path_query_array(item.input, '$.*.blob_id')) AS ref(blob_id)
        WHERE jsonb_path_query_array(item.input, '$.*.blob_id') ?| $1::text[]
          AND ref.blob_id = ANY($1::text[])
          AND (batch.id IS NULL
               OR batch.status <> ALL($2::text[])
               OR coalesce(batch.completed_at, batch.updated_at) > now() - make_interval(secs => $3))
       UNION
       SELECT ref.blob_id
         FROM schedules,
              jsonb_array_elements_text(jsonb_path_query_array(target, '$.**.blob_id')) AS ref(blob_id)
        WHERE jsonb_path_query_array(target, '$.**.blob_id') ?| $1::text[]
          AND ref.blob_id = ANY($1::text[])`,
      [blobIds, terminalStatuses, retentionSeconds],
    );
    return new Set(rows.map((row) => row.blob_id));
  } catch (error) {
    throw toDatabaseError(error);
  }
}
