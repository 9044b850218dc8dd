import { type ErrorInfo, type JobStatus, terminalStatuses } from '@gantry/contracts';
import type pg from 'pg';
import { toDatabaseError } from './database-error.js';

export interface BatchRow {
  id: string;
  tenant: string;
  total: number;
  fed: number;
  low: number;
}

/** One item's outcome as PostgreSQL has it; `job` is null while its job is not recorded (or not created). */
export interface BatchItemResult {
  index: number;
  job: { status: JobStatus; output: unknown; error: ErrorInfo | null } | null;
}

export interface BatchRepository {
  /** Stores a chunk of a batch's inputs, numbered from `from` on. */
  addItems(batchId: string, from: number, inputs: readonly unknown[]): Promise<void>;
  /** Records the batch once its items are all stored. */
  create(batch: Pick<BatchRow, 'id' | 'tenant' | 'total'>): Promise<void>;
  /** Forgets a batch whose upload was refused. */
  drop(batchId: string): Promise<void>;
  get(tenant: string, id: string): Promise<BatchRow | null>;
  /** Inputs [from, from + count), in order. */
  inputs(batchId: string, from: number, count: number): Promise<unknown[]>;
  /** The feeder's window moved: items [0, fed) have their jobs, items below `low` have ended. */
  advance(batchId: string, fed: number, low: number): Promise<void>;
  /** Which of these job ids PostgreSQL has. */
  existingJobs(ids: readonly string[]): Promise<string[]>;
  /** How many of the batch's jobs PostgreSQL has in each status. */
  counts(batchId: string): Promise<{ status: JobStatus; count: number }[]>;
  /**
   * The first `limit` items whose end PostgreSQL has not recorded (no job row, or a row not in a final
   * status), with the status recorded (null: no row), in input order.
   */
  unended(batchId: string, limit: number): Promise<{ index: number; status: JobStatus | null }[]>;
  /** Outcomes of items [from, from + count), in input order. */
  results(batchId: string, from: number, count: number): Promise<BatchItemResult[]>;
}

/** A batch's rows in PostgreSQL: its inputs, its feeder's window, and its items' jobs read back. */
export function createBatchRepository(pool: pg.Pool): BatchRepository {
  async function query<Row extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<Row[]> {
    try {
      return (await pool.query<Row>(sql, params)).rows;
    } catch (error) {
      throw toDatabaseError(error);
    }
  }
  // Item i's job id is "<batch>.<i>": joined by the jobs primary key, one index lookup per item.
  const itemJob = `j.id = i.batch_id || '.' || i.idx`;

  return {
    async addItems(batchId, from, inputs) {
      await query(
        `INSERT INTO batch_items (batch_id, idx, input)
         SELECT $1, $2::int + o - 1, v FROM unnest($3::jsonb[]) WITH ORDINALITY AS t(v, o)`,
        [batchId, from, inputs.map((input) => JSON.stringify(input))],
      );
    },
    async create(batch) {
      await query(`INSERT INTO batches (id, tenant, total) VALUES ($1, $2, $3)`, [
        batch.id,
        batch.tenant,
        batch.total,
      ]);
    },
    async drop(batchId) {
      await query(`DELETE FROM batch_items WHERE batch_id = $1`, [batchId]);
      await query(`DELETE FROM batches WHERE id = $1`, [batchId]);
    },
    async get(tenant, id) {
      const rows = await query<BatchRow>(
        `SELECT id, tenant, total, fed, low FROM batches WHERE tenant = $1 AND id = $2`,
        [tenant, id],
      );
      return rows[0] ?? null;
    },
    async inputs(batchId, from, count) {
      const rows = await query<{ input: unknown }>(
        `SELECT input FROM batch_items WHERE batch_id = $1 AND idx >= $2 AND idx < $3 ORDER BY idx`,
        [batchId, from, from + count],
      );
      return rows.map((row) => row.input);
    },
    async advance(batchId, fed, low) {
      await query(`UPDATE batches SET fed = $2, low = $3 WHERE id = $1`, [batchId, fed, low]);
    },
    async existingJobs(ids) {
      const rows = await query<{ id: string }>(`SELECT id FROM jobs WHERE id = ANY($1::text[])`, [ids]);
      return rows.map((row) => row.id);
    },
    async counts(batchId) {
      const rows = await query<{ status: JobStatus; n: string }>(
        `SELECT j.status, count(*) AS n FROM batch_items i JOIN jobs j ON ${itemJob}
         WHERE i.batch_id = $1 GROUP BY j.status`,
        [batchId],
      );
      return rows.map((row) => ({ status: row.status, count: Number(row.n) }));
    },
    async unended(batchId, limit) {
      const rows = await query<{ idx: number; status: JobStatus | null }>(
        `SELECT i.idx, j.status FROM batch_items i LEFT JOIN jobs j ON ${itemJob}
         WHERE i.batch_id = $1 AND (j.status IS NULL OR NOT j.status = ANY($2::text[]))
         ORDER BY i.idx LIMIT $3`,
        [batchId, terminalStatuses, limit],
      );
      return rows.map((row) => ({ index: row.idx, status: row.status }));
    },
    async results(batchId, from, count) {
      const rows = await query<{
        idx: number;
        status: JobStatus | null;
        output: unknown;
        error: ErrorInfo | null;
      }>(
        `SELECT i.idx, j.status, j.output, j.error FROM batch_items i LEFT JOIN jobs j ON ${itemJob}
         WHERE i.batch_id = $1 AND i.idx >= $2 AND i.idx < $3 ORDER BY i.idx`,
        [batchId, from, from + count],
      );
      return rows.map((row) => ({
        index: row.idx,
        job: row.status === null ? null : { status: row.status, output: row.output, error: row.error },
      }));
    },
  };
}
