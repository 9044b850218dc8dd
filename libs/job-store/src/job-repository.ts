import type pg from 'pg';
import { GantryError, type JobStatus } from '@gantry/contracts';
import { toDatabaseError } from './database-error.js';
import { decodeJobCursor, encodeJobCursor } from './job-cursor.js';
import { type JobEvent, type JobRow, type JobRowFromDb, jobRowColumns, toJobRow } from './job-row.js';

export interface JobListQuery {
  tenant: string;
  type?: string;
  /** Any of these statuses; absent or empty means any status. */
  status?: readonly JobStatus[];
  /** Created strictly after this instant. */
  createdAfter?: Date | string;
  /** Created strictly before this instant. */
  createdBefore?: Date | string;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
  /** 1..100 (default 20). */
  limit?: number;
}

export interface JobPage {
  rows: JobRow[];
  /** Null on the last page. */
  nextCursor: string | null;
}

export interface JobRepository {
  get(tenant: string, id: string): Promise<JobRow | null>;
  /** Newest first, keyset-paginated on (created_at DESC, id DESC). */
  list(query: JobListQuery): Promise<JobPage>;
  /** Status changes in seq order; empty when the tenant has no such job. */
  history(tenant: string, id: string): Promise<JobEvent[]>;
}

function instant(value: Date | string, name: string): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new GantryError('BAD_REQUEST', `${name} is not a valid date-time`, {
      details: { [name]: String(value) },
    });
  }
  return date;
}

/** Reads jobs and their history; writes happen only through the recorder. */
export function createJobRepository(pool: pg.Pool): JobRepository {
  async function query<Row extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<Row[]> {
    try {
      return (await pool.query<Row>(sql, params)).rows;
    } catch (error) {
      throw toDatabaseError(error);
    }
  }

  return {
    async get(tenant, id) {
      const rows = await query<JobRowFromDb>(
        `SELECT ${jobRowColumns} FROM jobs WHERE tenant = $1 AND id = $2`,
        [tenant, id],
      );
      return rows[0] ? toJobRow(rows[0]) : null;
    },

    async list(input) {
      const limit = input.limit ?? 20;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
        throw new GantryError('BAD_REQUEST', 'limit must be an integer from 1 to 100', {
          details: { limit },
        });
      }
      const params: unknown[] = [input.tenant];
      const where = ['tenant = $1'];
      const add = (condition: (placeholder: string) => string, value: unknown) => {
        params.push(value);
        where.push(condition(`$${params.length}`));
      };
      if (input.type !== undefined) add((p) => `type = ${p}`, input.type);
      if (input.status && input.status.length > 0)
        add((p) => `status = ANY(${p}::text[])`, [...input.status]);
      if (input.createdAfter !== undefined) {
        add((p) => `created_at > ${p}`, instant(input.createdAfter, 'createdAfter'));
      }
      if (input.createdBefore !== undefined) {
        add((p) => `created_at < ${p}`, instant(input.createdBefore, 'createdBefore'));
      }
      if (input.cursor) {
        const cursor = decodeJobCursor(input.cursor);
        params.push(new Date(cursor.createdAt), cursor.id);
        where.push(`(created_at, id) < ($${params.length - 1}, $${params.length})`);
      }
      params.push(limit + 1);
      const rows = await query<JobRowFromDb>(
        `SELECT ${jobRowColumns} FROM jobs WHERE ${where.join(' AND ')}
         ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
        params,
      );
      const page = rows.slice(0, limit).map(toJobRow);
      const last = page.at(-1);
      return {
        rows: page,
        nextCursor:
          rows.length > limit && last ? encodeJobCursor({ createdAt: last.created_at, id: last.id }) : null,
      };
    },

    async history(tenant, id) {
      const rows = await query<Omit<JobEvent, 'at'> & { at: Date }>(
        `SELECT e.job_id, e.seq, e.status, e.at, e.data
         FROM job_events e JOIN jobs j ON j.id = e.job_id
         WHERE j.tenant = $1 AND e.job_id = $2
         ORDER BY e.seq`,
        [tenant, id],
      );
      return rows.map((row) => ({ ...row, at: row.at.toISOString() }));
    },
  };
}
