import { GantryError } from '@gantry/contracts';
import { toDatabaseError } from '@gantry/job-store';
import type pg from 'pg';
import type { SecretCipher } from './secret-cipher.js';
import { newWebhookSecret } from './webhook-signature.js';

export interface RotatedSecret {
  secret: string;
  created_at: string;
  /** Until when the secret it replaced still signs too (null when there was none). */
  previous_valid_until: string | null;
}

/** What a pass over every row left as it found it. */
export interface ResealReport {
  resealed: number;
  /** Rows no configured key opens: their deliveries fail with WEBHOOK_SECRET_UNREADABLE. */
  unreadable: number;
}

interface StoredRow {
  tenant: string;
  secret: string;
  previous_secret: string | null;
}

interface Resealed {
  value: string;
  state: 'current' | 'resealed' | 'unreadable';
}

const resealBatch = 500;

/**
 * Each tenant's webhook signing secret (PostgreSQL), and the one it replaced while that is still valid,
 * both sealed with the cipher: a dump or a read replica holds no usable secret. A row stored before
 * encryption, or sealed with the previous key, is sealed with the current one whenever it is read.
 */
export class WebhookSecrets {
  constructor(
    private readonly pool: pg.Pool,
    private readonly cipher: SecretCipher,
  ) {}

  /** Creates the tenant's secret, or replaces it; the one replaced keeps signing for `graceSeconds`. */
  async rotate(tenant: string, graceSeconds: number): Promise<RotatedSecret> {
    const secret = newWebhookSecret();
    const sealed = this.cipher.seal(secret, tenant);
    const client = await this.connect();
    try {
      await query(client, 'BEGIN');
      // A first secret; a concurrent first rotation waits here, then finds the row below.
      const created = await query<{ created_at: Date }>(
        client,
        `INSERT INTO webhook_secrets (tenant, secret) VALUES ($1, $2) ON CONFLICT (tenant) DO NOTHING
         RETURNING created_at`,
        [tenant, sealed],
      );
      // Otherwise the row exists (rows are never deleted): replace it under its lock.
      const row = created.rows[0] ?? (await this.replace(client, tenant, sealed, graceSeconds));
      await query(client, 'COMMIT');
      const { created_at, previous_until } = row as { created_at: Date; previous_until?: Date | null };
      return {
        secret,
        created_at: created_at.toISOString(),
        previous_valid_until: previous_until?.toISOString() ?? null,
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async exists(tenant: string): Promise<boolean> {
    const { rowCount } = await query(this.pool, 'SELECT 1 FROM webhook_secrets WHERE tenant = $1', [tenant]);
    return (rowCount ?? 0) > 0;
  }

  /**
   * The secrets a message is signed with: the current one, then the previous one while it is valid.
   * WEBHOOK_SECRET_UNREADABLE when no configured key opens one of them.
   */
  async signing(tenant: string): Promise<string[]> {
    const { rows } = await query<StoredRow & { previous_valid: boolean }>(
      this.pool,
      `SELECT tenant, secret, previous_secret, coalesce(previous_until > now(), false) AS previous_valid
         FROM webhook_secrets WHERE tenant = $1`,
      [tenant],
    );
    const row = rows[0];
    if (!row) return [];
    const secrets = [this.cipher.open(row.secret, tenant)];
    if (row.previous_valid && row.previous_secret)
      secrets.push(this.cipher.open(row.previous_secret, tenant));
    await this.reseal(row);
    return secrets;
  }

  /**
   * Seals every row not yet under the current key (plaintext from before encryption, or the previous
   * key's), a batch at a time: run at boot, so that WEBHOOK_SECRET_KEY_PREVIOUS can be dropped once it
   * reports nothing unreadable. Rows no key opens are left as they are, and counted. Stops between
   * batches once `signal` is aborted.
   */
  async resealAll(signal: AbortSignal): Promise<ResealReport> {
    const report: ResealReport = { resealed: 0, unreadable: 0 };
    const current = `${this.cipher.keyId}:%`;
    for (let after = ''; !signal.aborted; ) {
      const { rows } = await query<StoredRow>(
        this.pool,
        `SELECT tenant, secret, previous_secret FROM webhook_secrets
          WHERE tenant > $1 AND (secret NOT LIKE 'v1:' || $2 OR previous_secret NOT LIKE 'v1:' || $2)
          ORDER BY tenant LIMIT $3`,
        [after, current, resealBatch],
      );
      for (const row of rows) {
        const outcome = await this.reseal(row);
        if (outcome === 'resealed') report.resealed += 1;
        if (outcome === 'unreadable') report.unreadable += 1;
      }
      if (rows.length < resealBatch) break;
      after = (rows[rows.length - 1] as StoredRow).tenant;
    }
    return report;
  }

  /**
   * Replaces an existing row's secret, keeping the one replaced (sealed anew) for the grace period; one
   * that no configured key opens could never sign again, and goes, so that the new secret signs alone.
   */
  private async replace(
    client: pg.PoolClient,
    tenant: string,
    sealed: string,
    graceSeconds: number,
  ): Promise<{ created_at: Date; previous_until: Date | null }> {
    const { rows } = await query<{ secret: string }>(
      client,
      'SELECT secret FROM webhook_secrets WHERE tenant = $1 FOR UPDATE',
      [tenant],
    );
    const old = this.resealed((rows[0] as { secret: string }).secret, tenant);
    const previous = old.state === 'unreadable' ? null : old.value;
    const { rows: updated } = await query<{ created_at: Date; previous_until: Date | null }>(
      client,
      `UPDATE webhook_secrets SET previous_secret = $2,
         previous_until = CASE WHEN $2::text IS NULL THEN NULL ELSE now() + make_interval(secs => $3) END,
         secret = $4, created_at = now()
       WHERE tenant = $1 RETURNING created_at, previous_until`,
      [tenant, previous, graceSeconds, sealed],
    );
    return updated[0] as { created_at: Date; previous_until: Date | null };
  }

  /**
   * Rewrites a row under the current key unless it already is; only if it still holds what was read, so
   * that a rotation in between is never undone. The values no key opens stay as they are.
   */
  private async reseal(row: StoredRow): Promise<Resealed['state']> {
    const secret = this.resealed(row.secret, row.tenant);
    const previous = row.previous_secret === null ? null : this.resealed(row.previous_secret, row.tenant);
    const states = [secret.state, previous?.state];
    if (states.includes('resealed')) {
      await query(
        this.pool,
        `UPDATE webhook_secrets SET secret = $4, previous_secret = $5
          WHERE tenant = $1 AND secret = $2 AND previous_secret IS NOT DISTINCT FROM $3`,
        [row.tenant, row.secret, row.previous_secret, secret.value, previous?.value ?? null],
      );
    }
    return states.includes('unreadable')
      ? 'unreadable'
      : states.includes('resealed')
        ? 'resealed'
        : 'current';
  }

  /** A stored value as it should be stored: sealed with the current key where a configured key opens it. */
  private resealed(stored: string, tenant: string): Resealed {
    if (this.cipher.isCurrent(stored)) return { value: stored, state: 'current' };
    try {
      return { value: this.cipher.seal(this.cipher.open(stored, tenant), tenant), state: 'resealed' };
    } catch (error) {
      if (error instanceof GantryError) return { value: stored, state: 'unreadable' };
      throw error;
    }
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw toDatabaseError(error);
    }
  }
}

async function query<R extends pg.QueryResultRow>(
  db: pg.Pool | pg.PoolClient,
  sql: string,
  values: unknown[] = [],
): Promise<pg.QueryResult<R>> {
  try {
    return await db.query<R>(sql, values);
  } catch (error) {
    throw toDatabaseError(error);
  }
}
