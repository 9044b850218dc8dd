import { randomBytes } from 'node:crypto';
import { GantryError } from '@gantry/contracts';
import { describe, expect, it } from 'vitest';
import { SecretCipher, SecretKey, secretKeyId } from './secret-cipher.js';
import { newWebhookSecret } from './webhook-signature.js';

// node:crypto's AES-256-GCM, for real: nothing here is faked.
const unreadable = (open: () => unknown) => {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(GantryError);
    return (error as GantryError).toInfo();
  }
  throw new Error('expected WEBHOOK_SECRET_UNREADABLE');
};

describe('SecretCipher', () => {
  const key = randomBytes(32);
  const cipher = new SecretCipher(key);
  const secret = newWebhookSecret();

  it('seals into v1:<key id>:<iv>:<ciphertext> with no trace of the secret, and opens it back', () => {
    const sealed = cipher.seal(secret, 'acme');
    const [format, keyId, iv, body, ...rest] = sealed.split(':');
    expect([format, keyId, rest]).toEqual(['v1', secretKeyId(key), []]);
    expect(Buffer.from(iv ?? '', 'base64url')).toHaveLength(12);
    // The secret's 32 bytes, and GCM's 16-byte tag.
    expect(Buffer.from(body ?? '', 'base64url')).toHaveLength(secret.length + 16);
    expect(sealed).not.toContain(secret.slice('whsec_'.length, 20));
    expect(cipher.isCurrent(sealed)).toBe(true);
    expect(cipher.open(sealed, 'acme')).toBe(secret);
  });

  it('draws a fresh IV for every value: one secret sealed twice reads differently', () => {
    expect(cipher.seal(secret, 'acme')).not.toBe(cipher.seal(secret, 'acme'));
  });

  it('refuses a value sealed for another tenant (the tenant is authenticated data)', () => {
    const sealed = cipher.seal(secret, 'acme');
    expect(unreadable(() => cipher.open(sealed, 'globex'))).toMatchObject({
      code: 'WEBHOOK_SECRET_UNREADABLE',
      retryable: true,
      details: { key_id: secretKeyId(key) },
    });
  });

  it('refuses a value with one bit flipped, in the ciphertext or in the IV', () => {
    const [format, keyId, iv, body] = cipher.seal(secret, 'acme').split(':') as [
      string,
      string,
      string,
      string,
    ];
    const flip = (text: string) => {
      const bytes = Buffer.from(text, 'base64url');
      bytes[0] = (bytes[0] as number) ^ 1;
      return bytes.toString('base64url');
    };
    for (const altered of [
      [format, keyId, iv, flip(body)],
      [format, keyId, flip(iv), body],
    ]) {
      expect(unreadable(() => cipher.open(altered.join(':'), 'acme')).code).toBe('WEBHOOK_SECRET_UNREADABLE');
    }
  });

  it('refuses a value sealed with another key, naming the key id (not the key)', () => {
    const other = randomBytes(32);
    const sealed = new SecretCipher(other).seal(secret, 'acme');
    const info = unreadable(() => cipher.open(sealed, 'acme'));
    expect(info.message).toContain(secretKeyId(other));
    expect(info.message).not.toContain(other.toString('hex'));
  });

  it('refuses truncated and unknown formats as the same typed error', () => {
    const sealed = cipher.seal(secret, 'acme');
    for (const stored of [sealed.slice(0, 30), `v2${sealed.slice(2)}`, 'garbage', `${sealed}:extra`, '']) {
      expect(unreadable(() => cipher.open(stored, 'acme')).code).toBe('WEBHOOK_SECRET_UNREADABLE');
    }
  });

  it('opens what the previous key sealed, but seals with the current one only', () => {
    const previous = randomBytes(32);
    const sealedBefore = new SecretCipher(previous).seal(secret, 'acme');
    const rotated = new SecretCipher(key, previous);
    expect(rotated.open(sealedBefore, 'acme')).toBe(secret);
    expect(rotated.isCurrent(sealedBefore)).toBe(false);
    expect(rotated.seal(secret, 'acme').split(':')[1]).toBe(secretKeyId(key));
  });

  it('reads a secret stored before encryption as it is, and does not call it current', () => {
    expect(cipher.open(secret, 'acme')).toBe(secret);
    expect(cipher.isCurrent(secret)).toBe(false);
  });
});

describe('SecretKey', () => {
  const key = randomBytes(32);

  it('reads 64 hex characters, base64 and base64url alike', () => {
    for (const text of [
      key.toString('hex'),
      key.toString('base64'),
      key.toString('base64url'),
      ` ${key.toString('hex')}\n`,
    ]) {
      expect(SecretKey.parse(text)).toEqual(key);
    }
  });

  it('refuses a key that is not 32 bytes, saying how to make one', () => {
    for (const text of [
      '',
      'secret',
      key.toString('hex').slice(2),
      randomBytes(16).toString('base64'),
      'z'.repeat(64),
    ]) {
      const result = SecretKey.safeParse(text);
      expect(result.success, text).toBe(false);
      expect(result.error?.issues[0]?.message).toContain('openssl rand -hex 32');
    }
  });
});
