import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { GantryError } from '@gantry/contracts';
import { z } from 'zod';
import { webhookSecretPrefix } from './webhook-signature.js';

const version = 'v1';
const ivBytes = 12;
const tagBytes = 16;

/**
 * A 32-byte key as the operator writes it: 64 hex characters (`openssl rand -hex 32`) or base64
 * (`openssl rand -base64 32`). Decoded here, so a short or mistyped key stops the boot with a message.
 */
export const SecretKey = z.string().transform((text, context) => {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)
      ? Buffer.from(trimmed, 'base64')
      : null;
  if (key?.length === 32) return key;
  context.addIssue({
    code: 'custom',
    message: 'a 32-byte key as 64 hex characters or base64: generate one with `openssl rand -hex 32`',
  });
  return z.NEVER;
});

/** The key's name in every value it seals: the first 8 hex digits of its SHA-256 (the key itself never). */
export const secretKeyId = (key: Buffer): string =>
  createHash('sha256').update(key).digest('hex').slice(0, 8);

/**
 * Envelope for the tenants' webhook secrets at rest: AES-256-GCM with a random 12-byte IV per value and
 * the tenant as additional authenticated data, so a value copied to another tenant's row does not open.
 * A value reads `v1:<key id>:<iv>:<ciphertext and tag>` (base64url): the key id says which key opens it,
 * so the previous key (WEBHOOK_SECRET_KEY_PREVIOUS) still opens what it sealed while rows move to the new
 * one. A `whsec_…` value was stored before encryption: it opens as it is, and is sealed when next read.
 */
export class SecretCipher {
  readonly keyId: string;
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(
    private readonly key: Buffer,
    previous?: Buffer,
  ) {
    this.keyId = secretKeyId(key);
    this.keys = new Map([
      ...(previous ? [[secretKeyId(previous), previous] as const] : []),
      [this.keyId, key],
    ]);
  }

  seal(secret: string, tenant: string): string {
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(additionalData(tenant));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [version, this.keyId, iv.toString('base64url'), sealed.toString('base64url')].join(':');
  }

  /** The secret a stored value holds; a typed error (never a crash) when no configured key opens it. */
  open(stored: string, tenant: string): string {
    if (stored.startsWith(webhookSecretPrefix)) return stored;
    const [format, keyId = '', iv = '', sealed = '', ...rest] = stored.split(':');
    if (format !== version || rest.length > 0) throw unreadable('it is in no format this gateway reads');
    const key = this.keys.get(keyId);
    if (!key) {
      throw unreadable(
        `it was sealed with key ${keyId}, which is neither WEBHOOK_SECRET_KEY nor WEBHOOK_SECRET_KEY_PREVIOUS`,
        keyId,
      );
    }
    const bytes = Buffer.from(sealed, 'base64url');
    const nonce = Buffer.from(iv, 'base64url');
    if (nonce.length !== ivBytes || bytes.length < tagBytes) throw unreadable('it is truncated', keyId);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: tagBytes });
      decipher.setAAD(additionalData(tenant));
      decipher.setAuthTag(bytes.subarray(bytes.length - tagBytes));
      return Buffer.concat([
        decipher.update(bytes.subarray(0, bytes.length - tagBytes)),
        decipher.final(),
      ]).toString('utf8');
    } catch (error) {
      throw unreadable('it fails authentication (altered, or sealed for another tenant)', keyId, error);
    }
  }

  /** Whether a stored value is already sealed with the current key (else it is rewritten when read). */
  isCurrent(stored: string): boolean {
    return stored.startsWith(`${version}:${this.keyId}:`);
  }
}

/** Bound to the purpose as well as the tenant: a value this key seals for anything else never opens here. */
const additionalData = (tenant: string) => Buffer.from(`gantry webhook secret\0${tenant}`, 'utf8');

const unreadable = (reason: string, keyId?: string, cause?: unknown) =>
  new GantryError(
    'WEBHOOK_SECRET_UNREADABLE',
    `the tenant's webhook signing secret cannot be opened: ${reason}`,
    {
      details: { key_id: keyId ?? null },
      cause,
    },
  );
