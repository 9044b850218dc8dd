#!/usr/bin/env node
/**
 * `gantry-admin`: API keys for the gateway.
 *   gantry-admin keys create --tenant acme [--name ci] [--scopes jobs,admin,platform]
 *                            [--rate-limit-per-s 50] [--rate-limit-burst 100]
 *   gantry-admin keys list [--tenant acme]
 *   gantry-admin keys limits <id> --rate-limit-per-s 0|N|default [--rate-limit-burst N|default]
 *   gantry-admin keys revoke <id>
 * Reads DATABASE_URL; REDIS_URL and GANTRY_PREFIX to tell running gateways of a revoked or changed key.
 * The key is printed once and only its SHA-256 is stored.
 */
import { parseArgs } from 'node:util';
import { parseEnv, sharedEnv } from '@gantry/config';
import {
  type ApiKeyLimits,
  apiKeyScopes,
  type ApiKeyScope,
  createApiKeyRepository,
  createPool,
  migrate,
} from '@gantry/job-store';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { ApiKeyChanges } from './keys/api-key-changes.js';

const usage = `usage:
  keys create --tenant <tenant> [--name <name>] [--scopes jobs,admin,platform]
              [--rate-limit-per-s <n>] [--rate-limit-burst <n>]
  keys list [--tenant <tenant>]
  keys limits <key-id> [--rate-limit-per-s <n|default>] [--rate-limit-burst <n|default>]
  keys revoke <key-id>
A rate of 0 turns the rate limit off for the key; "default" follows the gateway's settings.`;

/** parseArgs's own errors: an option it does not know, or one without its value. */
const isArgsError = (error: unknown): error is Error =>
  error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS_');

/** The arguments; a usage error ends here with one line, the usage and exit 2, not a stack trace. */
function readArgs() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        tenant: { type: 'string' },
        name: { type: 'string' },
        scopes: { type: 'string' },
        'rate-limit-per-s': { type: 'string' },
        'rate-limit-burst': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    if (!isArgsError(error)) throw error;
    // The first sentence names the option; the rest is about positionals that start with '-', which no
    // command here takes.
    console.error(`gantry-admin: ${error.message.split('. ')[0]}\n${usage}`);
    process.exit(2);
  }
}

const { values, positionals } = readArgs();
// Before the environment is read: the usage needs no database.
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const [area, command, argument] = positionals;

/** The settings; a missing one is the operator's to fix: its name, not a stack trace (exit 2). */
function readEnv() {
  try {
    return parseEnv(
      z.object({
        DATABASE_URL: z.string().min(1, 'set DATABASE_URL'),
        REDIS_URL: sharedEnv.REDIS_URL,
        GANTRY_PREFIX: sharedEnv.GANTRY_PREFIX,
      }),
    );
  } catch (error) {
    console.error(`gantry-admin: ${(error as Error).message}`);
    process.exit(2);
  }
}
const env = readEnv();
const pool = createPool(env.DATABASE_URL);

function limitOption(name: 'rate-limit-per-s' | 'rate-limit-burst'): number | null {
  const value = values[name];
  if (value === undefined || value === 'default') return null;
  if (!/^\d+$/.test(value)) throw new Error(`--${name} must be a whole number ≥ 0 or "default"`);
  return Number(value);
}
const limitOptions = (): ApiKeyLimits => ({
  rate_limit_per_s: limitOption('rate-limit-per-s'),
  rate_limit_burst: limitOption('rate-limit-burst'),
});

/** Tells running gateways to drop the key from their caches; without Redis they do within 15 s. */
async function tellGateways(id: string): Promise<void> {
  const redis = new Redis(env.REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await new ApiKeyChanges(redis, env.GANTRY_PREFIX).publish(id);
  } catch {
    console.error('could not reach Redis: running gateways see the change within 15 s');
  } finally {
    redis.disconnect();
  }
}

try {
  await migrate(pool);
  const keys = createApiKeyRepository(pool);
  if (area !== 'keys') throw new Error(usage);
  if (command === 'create') {
    if (!values.tenant) throw new Error(`--tenant is required\n${usage}`);
    const scopes = (values.scopes ?? 'jobs').split(',').map((scope) => scope.trim());
    const unknown = scopes.filter((scope) => !(apiKeyScopes as readonly string[]).includes(scope));
    if (unknown.length > 0)
      throw new Error(`unknown scopes ${unknown.join(', ')}; use ${apiKeyScopes.join(', ')}`);
    const created = await keys.create({
      tenant: values.tenant,
      name: values.name ?? 'cli',
      scopes: scopes as ApiKeyScope[],
      limits: limitOptions(),
    });
    console.log(values.json ? JSON.stringify({ ...created, tenant: values.tenant, scopes }) : created.key);
  } else if (command === 'list') {
    for (const key of await keys.list(values.tenant)) {
      const rate = key.rate_limit_per_s === null ? 'default' : `${key.rate_limit_per_s}/s`;
      console.log(
        `${key.id}  ${key.tenant}  ${key.name}  ${key.scopes.join(',')}  ${rate}  ${key.revoked_at ? 'revoked' : 'active'}`,
      );
    }
  } else if (command === 'limits' && argument) {
    const info = await keys.setLimits(argument, limitOptions());
    if (!info) throw new Error(`no active key ${argument}`);
    await tellGateways(argument);
    console.log(`${argument}: rate limit ${JSON.stringify(limitOptions())}`);
  } else if (command === 'revoke' && argument) {
    if (!(await keys.revoke(argument))) throw new Error(`no active key ${argument}`);
    await tellGateways(argument);
    console.log(`revoked ${argument}`);
  } else {
    throw new Error(usage);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await pool.end();
}
