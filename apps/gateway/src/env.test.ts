import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadGatewayEnv } from './env.js';

describe('loadGatewayEnv: the webhook secret key', () => {
  const base = { DATABASE_URL: 'postgres://unused' };

  it('refuses to start without WEBHOOK_SECRET_KEY, saying how to make one', () => {
    expect(() => loadGatewayEnv(base)).toThrow(
      /WEBHOOK_SECRET_KEY: set WEBHOOK_SECRET_KEY to 32 random bytes \(`openssl rand -hex 32`\)/,
    );
  });

  it('refuses a key that is not 32 bytes, the previous one too, naming each', () => {
    const short = randomBytes(16).toString('hex');
    expect(() => loadGatewayEnv({ ...base, WEBHOOK_SECRET_KEY: short })).toThrow(
      / {2}WEBHOOK_SECRET_KEY: a 32-byte key/,
    );
    expect(() =>
      loadGatewayEnv({
        ...base,
        WEBHOOK_SECRET_KEY: randomBytes(32).toString('hex'),
        WEBHOOK_SECRET_KEY_PREVIOUS: short,
      }),
    ).toThrow(/WEBHOOK_SECRET_KEY_PREVIOUS: a 32-byte key/);
  });

  it('reads both keys as bytes', () => {
    const [key, previous] = [randomBytes(32), randomBytes(32)];
    const env = loadGatewayEnv({
      ...base,
      WEBHOOK_SECRET_KEY: key.toString('hex'),
      WEBHOOK_SECRET_KEY_PREVIOUS: previous.toString('base64'),
    });
    expect([env.WEBHOOK_SECRET_KEY, env.WEBHOOK_SECRET_KEY_PREVIOUS]).toEqual([key, previous]);
  });
});
