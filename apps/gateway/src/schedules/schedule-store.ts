import { type ErrorInfo, GantryError, type MisfirePolicy, type ScheduleTarget } from '@gantry/contracts';
import { toDatabaseError } from '@gantry/job-store';
import type pg from 'pg';

/** A schedule as stored and answered. */
export interface Schedule {
  id: string;
  tenant: string;
  name: string | null;
  cron: string | null;
  every_s: number | null;
  timezone: string;
  misfire: MisfirePolicy;
  target: ScheduleTarget;
  paused: boolean;
  created_at: string;
  updated_at: string;
  last_tick_at: string | null;
  last_job_id: string | null;
  last_error: ErrorInfo | null;
  /** Ticks missed while no gateway ran and skipped by the `skip` policy. */
  skipped_ticks: number;
}

type NewSchedule = Pick<
  Schedule,
  'id' | 'tenant' | 'name' | 'cron' | 'every_s' | 'timezone' | 'misfire' | 'target'
>;

const columns =
  'id, tenant, name, cron, every_s, timezone, misfire, target, paused, created_at, updated_at, last_tick_at, last_job_id, last_error, skipped_ticks';

type Row = Omit<Schedule, 'created_at' | 'updated_at' | 'last_tick_at'> & {
  created_at: Date;
  updated_at: Date;
  last_tick_at: Date | null;
};

const toSchedule = (row: Row): Schedule => ({
  ...row,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
  last_tick_at: row.last_tick_at?.toISOString() ?? null,
});

/** Schedules in PostgreSQL, each tenant's own. */
export class ScheduleStore {
  constructor(
    private readonly pool: pg.Pool,
    /** Schedules a tenant may have (0: no limit): each one creates jobs on its own, key or no key. */
    private readonly maxPerTenant: number,
  ) {}

  /**
   * Stores a new schedule, if the tenant has fewer than its limit: counted in the same statement, so
   * creations at the same moment may overshoot by their number, never more.
   */
  async create(schedule: NewSchedule): Promise<Schedule> {
    const { rows } = await this.query<Row>(
      `INSERT INTO schedules (id, tenant, name, cron, every_s, timezone, misfire, target)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8
       WHERE $9::int = 0 OR (SELECT count(*) FROM schedules WHERE tenant = $2) < $9::int
       RETURNING ${columns}`,
      [
        schedule.id,
        schedule.tenant,
        schedule.name,
        schedule.cron,
        schedule.every_s,
        schedule.timezone,
        schedule.misfire,
        JSON.stringify(schedule.target),
        this.maxPerTenant,
      ],
    );
    if (!rows[0]) {
      throw new GantryError(
        'QUOTA_EXCEEDED',
        `tenant "${schedule.tenant}" has ${this.maxPerTenant} schedules, its limit (TENANT_MAX_SCHEDULES); delete one first`,
        { details: { limit: 'schedules', value: this.maxPerTenant, setting: 'TENANT_MAX_SCHEDULES' } },
      );
    }
    return toSchedule(rows[0]);
  }

  /** The schedule, of this tenant only; any tenant's without one (the tick knows no tenant). */
  async get(id: string, tenant?: string): Promise<Schedule | null> {
    const { rows } = await this.query<Row>(
      `SELECT ${columns} FROM schedules WHERE id = $1 AND ($2::text IS NULL OR tenant = $2)`,
      [id, tenant ?? null],
    );
    return rows[0] ? toSchedule(rows[0]) : null;
  }

  async list(tenant: string): Promise<Schedule[]> {
    const { rows } = await this.query<Row>(
      // Every one: TENANT_MAX_SCHEDULES bounds them.
      `SELECT ${columns} FROM schedules WHERE tenant = $1 ORDER BY created_at, id`,
      [tenant],
    );
    return rows.map(toSchedule);
  }

  async setPaused(id: string, tenant: string, paused: boolean): Promise<Schedule | null> {
    const { rows } = await this.query<Row>(
      `UPDATE schedules SET paused = $3, updated_at = now() WHERE id = $1 AND tenant = $2 RETURNING ${columns}`,
      [id, tenant, paused],
    );
    return rows[0] ? toSchedule(rows[0]) : null;
  }

  async delete(id: string, tenant: string): Promise<boolean> {
    const { rowCount } = await this.query('DELETE FROM schedules WHERE id = $1 AND tenant = $2', [
      id,
      tenant,
    ]);
    return (rowCount ?? 0) > 0;
  }

  /** What the last tick did: the job it created, or why it created none. */
  async recordTick(
    id: string,
    tickAt: Date,
    outcome: { jobId: string } | { error: ErrorInfo },
  ): Promise<void> {
    await this.query(
      `UPDATE schedules SET last_tick_at = $2, last_job_id = coalesce($3, last_job_id), last_error = $4
        WHERE id = $1 AND (last_tick_at IS NULL OR last_tick_at <= $2)`,
      [
        id,
        tickAt,
        'jobId' in outcome ? outcome.jobId : null,
        'error' in outcome ? JSON.stringify(outcome.error) : null,
      ],
    );
  }

  /** A missed tick the `skip` policy dropped. */
  async recordSkip(id: string): Promise<void> {
    await this.query('UPDATE schedules SET skipped_ticks = skipped_ticks + 1 WHERE id = $1', [id]);
  }

  private async query<R extends pg.QueryResultRow>(
    sql: string,
    values: unknown[],
  ): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, values);
    } catch (error) {
      throw toDatabaseError(error);
    }
  }
}
