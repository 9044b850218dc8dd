import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyRepository, type ApiKeyRepository } from './api-key-repository.js';
import { createTestSchema, type TestSchema } from './testing/create-test-schema.js';

// Real Postgres, one migrated schema for this file. "Another process" is a second repository on the
// same database, or a plain SQL statement, so the cache is observed from the outside.
let db: TestSchema;
let keys: ApiKeyRepository;
const noLimits = { rate_limit_per_s: null, rate_limit_burst: null };

beforeAll(async () => {
  db = await createTestSchema('api_keys');
  keys = createApiKeyRepository(db.pool, { cacheTtlMs: 300 });
});
afterAll(async () => {
  await db.drop();
});

describe('api key repository', () => {
  it('creates a key shown once and stores only its SHA-256', async () => {
    const { id, key } = await keys.create({ tenant: 'acme', name: 'ci', scopes: ['jobs'] });
    expect(key).toMatch(/^gk_[A-Za-z0-9_-]{43}$/);
    const { rows } = await db.pool.query<Record<string, unknown>>('SELECT * FROM api_keys WHERE id = $1', [
      id,
    ]);
    expect(rows[0]?.['key_sha256']).toEqual(createHash('sha256').update(key).digest());
    expect(JSON.stringify(rows[0])).not.toContain(key.slice(3));
    expect(await keys.verify(key)).toEqual({ id, tenant: 'acme', scopes: ['jobs'], ...noLimits });
  });

  it('answers from its cache without a promise once a key was verified', async () => {
    const { id, key } = await keys.create({ tenant: 'acme', name: 'hot', scopes: ['jobs'] });
    expect(keys.verifyCached(key)).toBeUndefined();
    expect(keys.verifyCached('gk_short')).toBeNull();
    await keys.verify(key);
    expect(keys.verifyCached(key)).toEqual({ id, tenant: 'acme', scopes: ['jobs'], ...noLimits });
    // Revoking forgets the key here at once: the next check goes to the database, and its answer is cached.
    await keys.revoke(id);
    expect(keys.verifyCached(key)).toBeUndefined();
    expect(await keys.verify(key)).toBeNull();
    expect(keys.verifyCached(key)).toBeNull();
  });

  it('refuses unknown, malformed and almost-right keys', async () => {
    const { key } = await keys.create({ tenant: 'acme', name: 'x', scopes: ['jobs'] });
    const flipped = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    for (const candidate of [flipped, '', 'gk_short', key.slice(3), `${key} `]) {
      expect(await keys.verify(candidate)).toBeNull();
    }
  });

  it('keeps scopes, deduplicated, and refuses unknown or empty ones', async () => {
    const { key } = await keys.create({ tenant: 'acme', name: 'ops', scopes: ['admin', 'jobs', 'admin'] });
    expect((await keys.verify(key))?.scopes).toEqual(['admin', 'jobs']);
    await expect(keys.create({ tenant: 'acme', name: 'none', scopes: [] })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(
      keys.create({ tenant: 'acme', name: 'bad', scopes: ['root' as 'admin'] }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(keys.create({ tenant: ' ', name: 'no tenant', scopes: ['jobs'] })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('revokes at once in this process, and within the cache TTL in others', async () => {
    const { id, key } = await keys.create({ tenant: 'acme', name: 'leaked', scopes: ['jobs'] });
    const elsewhere = createApiKeyRepository(db.pool, { cacheTtlMs: 300 });
    expect(await elsewhere.verify(key)).not.toBeNull();

    expect(await keys.revoke(id)).toBe(true);
    expect(await keys.revoke(id)).toBe(false);
    expect(await keys.revoke('not-a-uuid')).toBe(false);
    expect(await keys.verify(key)).toBeNull();

    // The other process answers from its cache until the TTL runs out: no database call on the hot path.
    expect(await elsewhere.verify(key)).not.toBeNull();
    await delay(350);
    expect(await elsewhere.verify(key)).toBeNull();
  });

  it('caches a negative answer too, for the TTL only', async () => {
    const { id, key } = await keys.create({ tenant: 'acme', name: 'flaky', scopes: ['jobs'] });
    await keys.revoke(id);
    expect(await keys.verify(key)).toBeNull();
    await db.pool.query('UPDATE api_keys SET revoked_at = NULL WHERE id = $1', [id]);
    expect(await keys.verify(key)).toBeNull();
    await delay(350);
    expect(await keys.verify(key)).toEqual({ id, tenant: 'acme', scopes: ['jobs'], ...noLimits });
  });

  it('shares one lookup between concurrent first requests, then answers from memory', async () => {
    const { id, key } = await keys.create({ tenant: 'acme', name: 'burst', scopes: ['jobs'] });
    const fresh = createApiKeyRepository(db.pool);
    let checkouts = 0;
    const count = () => checkouts++;
    db.pool.on('acquire', count);
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => fresh.verify(key)));
      expect(answers.every((answer) => answer?.id === id)).toBe(true);
      await delay(50);
      // One SELECT for the lookup, one UPDATE of last_used_at.
      expect(checkouts).toBe(2);
      await Promise.all(Array.from({ length: 20 }, () => fresh.verify(key)));
      await delay(50);
      expect(checkouts).toBe(2);
    } finally {
      db.pool.off('acquire', count);
    }
  });

  it('records last use lazily, at most once per interval', async () => {
    const { id, key } = await keys.create({ tenant: 'acme', name: 'used', scopes: ['jobs'] });
    const lastUsed = async () =>
      (
        await db.pool.query<{ at: Date | null }>('SELECT last_used_at AS at FROM api_keys WHERE id = $1', [
          id,
        ])
      ).rows[0]?.at ?? null;
    expect(await lastUsed()).toBeNull();
    await keys.verify(key);
    await expect.poll(lastUsed, { timeout: 2_000 }).not.toBeNull();
    const first = await lastUsed();
    await delay(20);
    await keys.verify(key);
    await delay(100);
    expect(await lastUsed()).toEqual(first);
  });

  it('lists keys without secrets and counts the active ones', async () => {
    const before = await keys.count();
    const { id } = await keys.create({ tenant: 'globex', name: 'g1', scopes: ['jobs'] });
    await keys.create({ tenant: 'globex', name: 'g2', scopes: ['admin'] });
    expect(await keys.count()).toBe(before + 2);
    await keys.revoke(id);
    expect(await keys.count()).toBe(before + 1);

    const listed = await keys.list('globex');
    expect(listed.map((info) => [info.name, info.scopes, info.revoked_at === null])).toEqual([
      ['g1', ['jobs'], false],
      ['g2', ['admin'], true],
    ]);
    expect(Object.keys(listed[0] ?? {}).sort()).toEqual(
      [
        'created_at',
        'id',
        'last_used_at',
        'name',
        'rate_limit_burst',
        'rate_limit_per_s',
        'revoked_at',
        'scopes',
        'tenant',
      ].sort(),
    );
    expect((await keys.list()).length).toBeGreaterThan(listed.length);
  });

  it('keeps per-key rate limits with the key, and changes them for every process that forgets the key', async () => {
    const { id, key } = await keys.create({
      tenant: 'acme',
      name: 'bench',
      scopes: ['jobs', 'platform'],
      limits: { rate_limit_per_s: 0 },
    });
    expect(await keys.verify(key)).toEqual({
      id,
      tenant: 'acme',
      scopes: ['jobs', 'platform'],
      rate_limit_per_s: 0,
      rate_limit_burst: null,
    });
    const elsewhere = createApiKeyRepository(db.pool, { cacheTtlMs: 60_000 });
    await elsewhere.verify(key);
    const changed = await keys.setLimits(id, { rate_limit_per_s: 5, rate_limit_burst: 10 });
    expect(changed).toMatchObject({ id, rate_limit_per_s: 5, rate_limit_burst: 10 });
    // Cached elsewhere until that process is told: then its next check reads the new limits.
    expect((await elsewhere.verify(key))?.rate_limit_per_s).toBe(0);
    elsewhere.forget(id);
    expect(await elsewhere.verify(key)).toMatchObject({ rate_limit_per_s: 5, rate_limit_burst: 10 });
    await expect(keys.setLimits(id, { rate_limit_per_s: -1, rate_limit_burst: null })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await keys.setLimits('not-a-uuid', noLimits)).toBeNull();
  });

  it("revokes only the tenant's own key when a tenant is given", async () => {
    const { id, key } = await keys.create({ tenant: 'acme', name: 'mine', scopes: ['jobs'] });
    expect(await keys.revoke(id, 'globex')).toBe(false);
    expect(await keys.verify(key)).not.toBeNull();
    expect(await keys.revoke(id, 'acme')).toBe(true);
    expect(await keys.verify(key)).toBeNull();
  });
});
