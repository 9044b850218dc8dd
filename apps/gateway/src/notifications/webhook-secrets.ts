import { toDatabaseError } from '@gantry/job-store';
import type pg from 'pg';
import { newWebhookSecret } from './webhook-signature.js';

export interface RotatedSecret {
  secret: string;
  created_at: string;
  /** Until when the secret it replaced still signs too (null when there was none). */
  previous_valid_until: string | null;
}

/** Each tenant's webhook signing secret (PostgreSQL), and the one it replaced while that is still valid. */
export class WebhookSecrets {
  constructor(private readonly pool: pg.Pool) {}

  /** Creates the tenant's secret, or replaces it; the one replaced keeps signing for `graceSeconds`. */
  async rotate(tenant: string, graceSeconds: number): Promise<RotatedSecret> {
    const secret = newWebhookSecret();
    const { rows } = await this.query<{ created_at: Date; previous_until: Date | null }>(
      `INSERT INTO webhook_secrets (tenant, secret) VALUES ($1, $2)
       ON CONFLICT (tenant) DO UPDATE SET previous_secret = webhook_secrets.secret,
         previous_until = now() + make_interval(secs => $3), secret = EXCLUDED.secret, created_at = now()
       RETURNING created_at, previous_until`,
      [tenant, secret, graceSeconds],
    );
    const row = rows[0] as { created_at: Date; previous_until: Date | null };
    return {
      secret,
      created_at: row.created_at.toISOString(),
      previous_valid_until: row.previous_until?.toISOString() ?? null,
    };
  }

  async exists(tenant: string): Promise<boolean> {
    const { rowCount } = await this.query('SELECT 1 FROM webhook_secrets WHERE tenant = $1', [tenant]);
    return (rowCount ?? 0) > 0;
  }

  /** The secrets a message is signed with: the current one, then the previous one while it is valid. */
  async signing(tenant: string): Promise<string[]> {
    const { rows } = await this.query<{ secret: string; previous: string | null }>(
      `SELECT secret, CASE WHEN previous_until > now() THEN previous_secret END AS previous
         FROM webhook_secrets WHERE tenant = $1`,
      [tenant],
    );
    const row = rows[0];
    return row ? [row.secret, ...(row.previous ? [row.previous] : [])] : [];
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
