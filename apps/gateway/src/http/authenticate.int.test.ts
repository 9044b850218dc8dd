import { randomBytes } from 'node:crypto';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiKeyRepository } from '@gantry/job-store';
import { createTestSchema, type TestSchema } from '@gantry/job-store/testing';
import { createLogger } from '@gantry/observability';
import express from 'express';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthGuard } from '../limits/auth-guard.js';
import { authenticate } from './authenticate.js';
import { errorHandler } from './error-handler.js';

// Two "replicas" (two apps, two key repositories with their own caches) on the real PostgreSQL and Redis.
// Every checkout of the pool is counted: that is the database cost of an attempt.
const prefix = `t-auth-${process.pid}-${Date.now()}`;
const redis = new Redis('redis://127.0.0.1:6379');
let db: TestSchema;
let checkouts = 0;
let validKey = '';
const replicas: { server: Server; port: number }[] = [];

beforeAll(async () => {
  db = await createTestSchema('gw_auth');
  db.pool.on('acquire', () => (checkouts += 1));
  validKey = (await createApiKeyRepository(db.pool).create({ tenant: 'acme', name: 't', scopes: ['jobs'] }))
    .key;
  for (let i = 0; i < 2; i += 1) {
    const app = express();
    app.use(
      authenticate(createApiKeyRepository(db.pool, { cacheTtlMs: 60_000 }), new AuthGuard(redis, prefix, 5)),
    );
    app.get('/v1/whoami', (req, res) => {
      res.json({ tenant: req.auth?.tenant });
    });
    app.use(errorHandler(createLogger('test', 'silent')));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    replicas.push({ server, port: (server.address() as AddressInfo).port });
  }
});
afterAll(async () => {
  for (const { server } of replicas) server.close();
  await db.drop();
  const stale = await redis.keys(`${prefix}:*`);
  if (stale.length > 0) await redis.del(...stale);
  await redis.quit();
});

/** GET /v1/whoami on a replica, from a chosen local address (127.0.0.0/8 is all loopback). */
function whoami(replica: number, key: string, from = '127.0.0.1') {
  return new Promise<{ status: number; retryAfter: string | undefined; checkouts: number }>(
    (resolve, reject) => {
      const before = checkouts;
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: replicas[replica]?.port,
          path: '/v1/whoami',
          localAddress: from,
          headers: { authorization: `Bearer ${key}` },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            setTimeout(
              () =>
                resolve({
                  status: res.statusCode ?? 0,
                  retryAfter: res.headers['retry-after'],
                  checkouts: checkouts - before,
                }),
              20,
            ),
          );
        },
      );
      req.on('error', reject);
      req.end();
    },
  );
}
const randomKey = () => `gk_${randomBytes(32).toString('base64url')}`;

describe('failed authentication costs no PostgreSQL query per attempt', () => {
  it('looks an unknown key up once, for every replica, then refuses the address', async () => {
    const guessed = randomKey();
    expect(await whoami(0, guessed)).toMatchObject({ status: 401, checkouts: 1 });
    // The other replica has never seen the key, yet knows it is bad without asking PostgreSQL.
    expect(await whoami(1, guessed)).toMatchObject({ status: 401, checkouts: 0 });
    // Malformed keys never reach the database either.
    expect(await whoami(1, 'gk_short')).toMatchObject({ status: 401, checkouts: 0 });
    expect(await whoami(0, randomKey())).toMatchObject({ status: 401, checkouts: 1 });
    expect(await whoami(1, randomKey())).toMatchObject({ status: 401, checkouts: 1 });
    // Five failures from this address within a minute: new guesses are refused before any lookup.
    for (const replica of [0, 1]) {
      const refused = await whoami(replica, randomKey());
      expect(refused).toMatchObject({ status: 429, checkouts: 0 });
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    }
  });

  it('keeps serving good keys, and other addresses', async () => {
    expect(await whoami(0, validKey, '127.0.0.2')).toMatchObject({ status: 200 });
    expect(await whoami(1, randomKey(), '127.0.0.2')).toMatchObject({ status: 401, checkouts: 1 });
    // Cached on replica 0: the refused address still gets through with a good key, at no cost.
    expect(await whoami(0, validKey)).toMatchObject({ status: 200, checkouts: 0 });
  });

  it('still looks up, from a refused address, a key some replica verified: one guessing client behind a NAT locks no one out', async () => {
    // Replica 1 has not cached validKey; replica 0 verified it, so it is worth a lookup.
    expect(await whoami(1, validKey)).toMatchObject({ status: 200 });
    // A valid key no replica has verified yet is refused like a guess: nothing tells it from one.
    const unseen = (
      await createApiKeyRepository(db.pool).create({ tenant: 'acme', name: 'unseen', scopes: ['jobs'] })
    ).key;
    expect(await whoami(1, unseen)).toMatchObject({ status: 429, checkouts: 0 });
    expect(await whoami(1, randomKey())).toMatchObject({ status: 429, checkouts: 0 });
  });
});
