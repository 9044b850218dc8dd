import { hash, randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { GantryError } from '@gantry/contracts';
import { toDatabaseError } from './database-error.js';
import { silentLogger, type StoreLogger } from './store-logger.js';
import { TtlCache } from './ttl-cache.js';

export const apiKeyScopes = ['jobs', 'admin'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

/** Who a verified key speaks for. */
export interface ApiKeyIdentity {
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
  }): Promise<{ id: string; key: string }>;
  verify(key: string): Promise<ApiKeyIdentity | null>;
  /**
   * verify()'s answer when it is cached (undefined when it is not): the hot path then answers without
   * a promise. Use verify() on undefined.
   */
  verifyCached(key: string): ApiKeyIdentity | null | undefined;
  /** False when there is no such active key. */
  revoke(id: string): Promise<boolean>;
  list(tenant?: string): Promise<ApiKeyInfo[]>;
  /** Active (not revoked) keys. */
  count(): Promise<number>;
}

const keyShape = /^gk_[A-Za-z0-9_-]{43}$/;
const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const sha256 = (key: string) => hash('sha256', key, 'buffer');

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

  async function lookup(hash: string): Promise<ApiKeyIdentity | null> {
    const { rows } = await query<ApiKeyIdentity>(
      'SELECT id, tenant, scopes FROM api_keys WHERE key_sha256 = $1 AND revoked_at IS NULL',
      [Buffer.from(hash, 'hex')],
    );
    const identity = rows[0] ?? null;
    if (identity) known.set(hash, identity);
    else unknown.set(hash, true);
    return identity;
  }

  return {
    async create({ tenant, name, scopes }) {
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
      await query('INSERT INTO api_keys (id, tenant, name, scopes, key_sha256) VALUES ($1, $2, $3, $4, $5)', [
        id,
        tenant,
        name,
        unique,
        sha256(key),
      ]);
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

    async revoke(id) {
      if (!uuidShape.test(id)) return false;
      const { rowCount } = await query(
        'UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
        [id],
      );
      // This process stops accepting the key at once; others within the cache TTL.
      known.deleteWhere((identity) => identity.id === id);
      return (rowCount ?? 0) > 0;
    },

    async list(tenant) {
      const { rows } = await query<ApiKeyRowFromDb>(
        `SELECT id, tenant, name, scopes, created_at, revoked_at, last_used_at FROM api_keys
         WHERE $1::text IS NULL OR tenant = $1 ORDER BY created_at, id`,
        [tenant ?? null],
      );
      return rows.map((row) => ({
        ...row,
        created_at: row.created_at.toISOString(),
        revoked_at: row.revoked_at?.toISOString() ?? null,
        last_used_at: row.last_used_at?.toISOString() ?? null,
      }));
    },

    async count() {
      const { rows } = await query<{ count: number }>(
        'SELECT count(*)::int AS count FROM api_keys WHERE revoked_at IS NULL',
      );
      return rows[0]?.count ?? 0;
    },
  };
}
