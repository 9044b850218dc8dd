import { hash, randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { GantryError } from '@gantry/contracts';
import { toDatabaseError } from './database-error.js';
import { silentLogger, type StoreLogger } from './store-logger.js';
import { TtlCache } from './ttl-cache.js';

/**
 * `jobs` runs jobs; `admin` manages the tenant's own keys; `platform` operates the installation (queues,
 * workers, per-key limits, metrics) across tenants.
 */
export const apiKeyScopes = ['jobs', 'admin', 'platform'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

/** A key's own rate limit; null keeps the gateway's default, a rate of 0 turns the limit off. */
export interface ApiKeyLimits {
  rate_limit_per_s: number | null;
  rate_limit_burst: number | null;
}

/** Who a verified key speaks for, and the limits it carries. */
export interface ApiKeyIdentity extends ApiKeyLimits {
  id: string;
  tenant: string;
  scopes: ApiKeyScope[];
}

/** A key as listed: never the key itself, which exists only in the create() answer. */
export interface ApiKeyInfo extends ApiKeyIdentity {
  name: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface ApiKeyRepositoryOptions {
  /** How long a verify() answer, positive or negative, is reused (default 15 s): the revocation delay. */
  cacheTtlMs?: number;
  /** Entries per cache (positive and negative are kept apart so junk keys cannot evict good ones). */
  cacheMaxEntries?: number;
  /** last_used_at is written at most this often per key (default 60 s). */
  touchIntervalMs?: number;
  logger?: StoreLogger;
}

export interface ApiKeyRepository {
  /** `key` is shown once; only its SHA-256 is stored. */
  create(input: {
    tenant: string;
    name: string;
    scopes: readonly ApiKeyScope[];
    limits?: Partial<ApiKeyLimits>;
  }): Promise<{ id: string; key: string }>;
  verify(key: string): Promise<ApiKeyIdentity | null>;
  /**
   * verify()'s answer when it is cached (undefined when it is not): the hot path then answers without
   * a promise. Use verify() on undefined.
   */
  verifyCached(key: string): ApiKeyIdentity | null | undefined;
  /** False when there is no such active key (of `tenant`, when given). */
  revoke(id: string, tenant?: string): Promise<boolean>;
  /** Sets an active key's own limits; null when there is no such active key. */
  setLimits(id: string, limits: ApiKeyLimits): Promise<ApiKeyInfo | null>;
  /**
   * Drops a key from this process's cache (every key without an id): another process revoked or changed
   * it, or this process may have missed such news.
   */
  forget(id?: string): void;
  list(tenant?: string): Promise<ApiKeyInfo[]>;
  /** Active (not revoked) keys. */
  count(): Promise<number>;
}

const keyShape = /^gk_[A-Za-z0-9_-]{43}$/;
const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const sha256 = (key: string) => hash('sha256', key, 'buffer');

const identityColumns = 'id, tenant, scopes, rate_limit_per_s, rate_limit_burst';
const infoColumns = `${identityColumns}, name, created_at, revoked_at, last_used_at`;

interface ApiKeyRowFromDb extends ApiKeyIdentity {
  name: string;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

export function createApiKeyRepository(
  pool: pg.Pool,
  options: ApiKeyRepositoryOptions = {},
): ApiKeyRepository {
  const ttlMs = options.cacheTtlMs ?? 15_000;
  const maxEntries = options.cacheMaxEntries ?? 10_000;
  const touchIntervalMs = options.touchIntervalMs ?? 60_000;
  const logger = options.logger ?? silentLogger;
  const known = new TtlCache<string, ApiKeyIdentity>(ttlMs, maxEntries);
  const unknown = new TtlCache<string, true>(ttlMs, maxEntries);
  // Concurrent first requests with one key share a single lookup.
  const inFlight = new Map<string, Promise<ApiKeyIdentity | null>>();
  const touched = new TtlCache<string, true>(touchIntervalMs, maxEntries);

  async function query<Row extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
    try {
      return await pool.query<Row>(sql, params);
    } catch (error) {
      throw toDatabaseError(error);
    }
  }

  function touch(id: string): void {
    if (touched.get(id)) return;
    touched.set(id, true);
    pool.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [id]).catch((error: unknown) => {
      logger.warn({ err: error, apiKeyId: id }, 'could not record api key use');
    });
  }

  /** The cached answer for a key's hash (undefined when there is none). */
  function cached(hash: string): ApiKeyIdentity | null | undefined {
    const identity = known.get(hash) ?? (unknown.get(hash) ? null : undefined);
    if (identity) touch(identity.id);
    return identity;
  }

  // A lookup that began before a forget() may have read the old row: its answer is not cached.
  let generation = 0;
  function forget(id?: string): void {
    generation += 1;
    known.deleteWhere((identity) => id === undefined || identity.id === id);
  }

  async function lookup(hash: string): Promise<ApiKeyIdentity | null> {
    const started = generation;
    const { rows } = await query<ApiKeyIdentity>(
      `SELECT ${identityColumns} FROM api_keys WHERE key_sha256 = $1 AND revoked_at IS NULL`,
      [Buffer.from(hash, 'hex')],
    );
    const identity = rows[0] ?? null;
    if (identity && started === generation) known.set(hash, identity);
    else if (!identity) unknown.set(hash, true);
    return identity;
  }

  return {
    async create({ tenant, name, scopes, limits }) {
      const unique = [...new Set(scopes)];
      if (!tenant.trim()) throw new GantryError('BAD_REQUEST', 'An API key needs a tenant');
      if (unique.length === 0 || unique.some((scope) => !apiKeyScopes.includes(scope))) {
        throw new GantryError(
          'BAD_REQUEST',
          `scopes must be a non-empty subset of ${apiKeyScopes.join(', ')}`,
          {
            details: { scopes },
          },
        );
      }
      const id = randomUUID();
      const key = `gk_${randomBytes(32).toString('base64url')}`;
      checkLimits(limits ?? {});
      await query(
        `INSERT INTO api_keys (id, tenant, name, scopes, key_sha256, rate_limit_per_s, rate_limit_burst)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          id,
          tenant,
          name,
          unique,
          sha256(key),
          limits?.rate_limit_per_s ?? null,
          limits?.rate_limit_burst ?? null,
        ],
      );
      return { id, key };
    },

    async verify(key) {
      if (!keyShape.test(key)) return null;
      const hash = sha256(key).toString('hex');
      const answer = cached(hash);
      if (answer !== undefined) return answer;
      let pending = inFlight.get(hash);
      if (!pending) {
        pending = lookup(hash).finally(() => inFlight.delete(hash));
        inFlight.set(hash, pending);
      }
      const identity = await pending;
      if (identity) touch(identity.id);
      return identity;
    },

    verifyCached(key) {
      return keyShape.test(key) ? cached(sha256(key).toString('hex')) : null;
    },

    async revoke(id, tenant) {
      if (!uuidShape.test(id)) return false;
      const { rowCount } = await query(
        `UPDATE api_keys SET revoked_at = now()
         WHERE id = $1 AND revoked_at IS NULL AND ($2::text IS NULL OR tenant = $2)`,
        [id, tenant ?? null],
      );
      // This process stops accepting the key at once; others when told (forget) or within the cache TTL.
      forget(id);
      return (rowCount ?? 0) > 0;
    },

    async setLimits(id, limits) {
      if (!uuidShape.test(id)) return null;
      checkLimits(limits);
      const { rows } = await query<ApiKeyRowFromDb>(
        `UPDATE api_keys SET rate_limit_per_s = $2, rate_limit_burst = $3
         WHERE id = $1 AND revoked_at IS NULL RETURNING ${infoColumns}`,
        [id, limits.rate_limit_per_s, limits.rate_limit_burst],
      );
      forget(id);
      return rows[0] ? toInfo(rows[0]) : null;
    },

    forget,

    async list(tenant) {
      const { rows } = await query<ApiKeyRowFromDb>(
        `SELECT ${infoColumns} FROM api_keys
         WHERE $1::text IS NULL OR tenant = $1 ORDER BY created_at, id`,
        [tenant ?? null],
      );
      return rows.map(toInfo);
    },

    async count() {
      const { rows } = await query<{ count: number }>(
        'SELECT count(*)::int AS count FROM api_keys WHERE revoked_at IS NULL',
      );
      return rows[0]?.count ?? 0;
    },
  };
}

function toInfo(row: ApiKeyRowFromDb): ApiKeyInfo {
  return {
    ...row,
    created_at: row.created_at.toISOString(),
    revoked_at: row.revoked_at?.toISOString() ?? null,
    last_used_at: row.last_used_at?.toISOString() ?? null,
  };
}

function checkLimits(limits: Partial<ApiKeyLimits>): void {
  for (const [name, value] of Object.entries(limits)) {
    if (value !== null && value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      throw new GantryError('BAD_REQUEST', `${name} must be a whole number ≥ 0, or null for the default`, {
        details: { [name]: value },
      });
    }
  }
}
