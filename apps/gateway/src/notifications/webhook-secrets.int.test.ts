import { randomBytes } from 'node:crypto';
import { GantryError } from '@gantry/contracts';
import { createTestSchema, type TestSchema } from '@gantry/job-store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretCipher, secretKeyId } from './secret-cipher.js';
import { WebhookSecrets } from './webhook-secrets.js';
import { newWebhookSecret } from './webhook-signature.js';

// The real PostgreSQL (a schema of this file's own) and node:crypto: the rows read here are what a
// database dump would hold.
let db: TestSchema;
const keyA = randomBytes(32);
const keyB = randomBytes(32);
const never = new AbortController().signal;

interface Row {
  tenant: string;
  secret: string;
  previous_secret: string | null;
}
const row = async (tenant: string): Promise<Row | undefined> =>
  (
    await db.pool.query<Row>(
      'SELECT tenant, secret, previous_secret FROM webhook_secrets WHERE tenant = $1',
      [tenant],
    )
  ).rows[0];
const storeRaw = (tenant: string, secret: string, previous: string | null = null) =>
  db.pool.query(
    `INSERT INTO webhook_secrets (tenant, secret, previous_secret, previous_until)
     VALUES ($1, $2, $3, CASE WHEN $3::text IS NULL THEN NULL ELSE now() + interval '1 hour' END)`,
    [tenant, secret, previous],
  );
const unreadable = async (signing: Promise<unknown>) => {
  const error = await signing.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(GantryError);
  return (error as GantryError).toInfo();
};

beforeAll(async () => {
  db = await createTestSchema('webhook_secrets');
});
afterAll(async () => {
  await db?.drop();
});

describe('WebhookSecrets at rest (real PostgreSQL)', () => {
  it('stores the secret sealed, the replaced one too, and signs with both in the clear', async () => {
    const secrets = new WebhookSecrets(db.pool, new SecretCipher(keyA));
    const first = await secrets.rotate('acme', 3_600);
    const second = await secrets.rotate('acme', 3_600);
    const stored = (await row('acme')) as Row;
    for (const value of [stored.secret, stored.previous_secret ?? '']) {
      expect(value).toMatch(new RegExp(`^v1:${secretKeyId(keyA)}:[\\w-]{16}:[\\w-]+$`));
    }
    const dump = JSON.stringify(stored);
    for (const secret of [first.secret, second.secret]) {
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(secret.slice('whsec_'.length, 24));
    }
    expect(await secrets.signing('acme')).toEqual([second.secret, first.secret]);
  });

  it('gives two first rotations at once one row: the later secret, and the earlier one as previous', async () => {
    const secrets = new WebhookSecrets(db.pool, new SecretCipher(keyA));
    const made = await Promise.all([secrets.rotate('racing', 3_600), secrets.rotate('racing', 3_600)]);
    const signing = await secrets.signing('racing');
    expect(new Set(signing)).toEqual(new Set(made.map((one) => one.secret)));
    expect(made.filter((one) => one.previous_valid_until === null)).toHaveLength(1);
  });

  it('refuses a sealed value copied into another tenant’s row', async () => {
    const secrets = new WebhookSecrets(db.pool, new SecretCipher(keyA));
    await secrets.rotate('victim', 0);
    await storeRaw('thief', ((await row('victim')) as Row).secret);
    expect(await unreadable(secrets.signing('thief'))).toMatchObject({
      code: 'WEBHOOK_SECRET_UNREADABLE',
      retryable: true,
    });
  });

  it('signs with a secret stored before encryption, and seals it (and its previous) on that read', async () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    await storeRaw('legacy', current, previous);
    const secrets = new WebhookSecrets(db.pool, new SecretCipher(keyA));
    expect(await secrets.signing('legacy')).toEqual([current, previous]);
    const stored = (await row('legacy')) as Row;
    expect(stored.secret.startsWith(`v1:${secretKeyId(keyA)}:`)).toBe(true);
    expect(stored.previous_secret?.startsWith(`v1:${secretKeyId(keyA)}:`)).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(current);
    expect(await secrets.signing('legacy')).toEqual([current, previous]);
  });

  it('seals the replaced plaintext secret when a legacy tenant rotates', async () => {
    const old = newWebhookSecret();
    await storeRaw('legacy-rotating', old);
    const secrets = new WebhookSecrets(db.pool, new SecretCipher(keyA));
    const rotated = await secrets.rotate('legacy-rotating', 3_600);
    const stored = (await row('legacy-rotating')) as Row;
    expect(JSON.stringify(stored)).not.toContain(old);
    expect(await secrets.signing('legacy-rotating')).toEqual([rotated.secret, old]);
  });

  it('rotates the key: the previous key opens, the boot pass reseals, and then the old key can go', async () => {
    const before = new WebhookSecrets(db.pool, new SecretCipher(keyA));
    const made = await before.rotate('rekey', 0);
    await storeRaw('rekey-legacy', newWebhookSecret());
    const during = new WebhookSecrets(db.pool, new SecretCipher(keyB, keyA));
    const report = await during.resealAll(never);
    // Every row of this schema not yet under B: the ones above and the earlier tests' (all under A).
    expect(report.resealed).toBeGreaterThanOrEqual(2);
    const { rows } = await db.pool.query<Row>('SELECT tenant, secret, previous_secret FROM webhook_secrets');
    const underA = rows.filter((one) =>
      [one.secret, one.previous_secret].some((v) => v?.includes(secretKeyId(keyA))),
    );
    // Only the thief's copied row stays as it was: no key opens it for that tenant.
    expect(underA.map((one) => one.tenant)).toEqual(['thief']);
    expect(report.unreadable).toBe(1);
    const after = new WebhookSecrets(db.pool, new SecretCipher(keyB));
    expect(await after.signing('rekey')).toEqual([made.secret]);
    expect(await unreadable(before.signing('rekey'))).toMatchObject({
      code: 'WEBHOOK_SECRET_UNREADABLE',
      details: { key_id: secretKeyId(keyB) },
    });
    expect(await during.resealAll(never)).toEqual({ resealed: 0, unreadable: 1 });
  });

  it('reports a wrong key as a typed error and leaves the row as it was', async () => {
    const secrets = new WebhookSecrets(db.pool, new SecretCipher(keyB));
    await secrets.rotate('wrong-key', 0);
    const stored = await row('wrong-key');
    const stranger = new WebhookSecrets(db.pool, new SecretCipher(randomBytes(32)));
    const info = await unreadable(stranger.signing('wrong-key'));
    expect(info.code).toBe('WEBHOOK_SECRET_UNREADABLE');
    expect(info.message).toContain(secretKeyId(keyB));
    const report = await stranger.resealAll(never);
    expect(report.resealed).toBe(0);
    expect(await row('wrong-key')).toEqual(stored);
    // A rotation still works: the secret no key opens is dropped, not kept to fail every signing.
    const rotated = await stranger.rotate('wrong-key', 3_600);
    expect(rotated.previous_valid_until).toBeNull();
    expect(await stranger.signing('wrong-key')).toEqual([rotated.secret]);
  });

  it('stops the pass between batches once aborted', async () => {
    const stopped = new AbortController();
    stopped.abort();
    const secrets = new WebhookSecrets(db.pool, new SecretCipher(randomBytes(32)));
    expect(await secrets.resealAll(stopped.signal)).toEqual({ resealed: 0, unreadable: 0 });
  });
});
