/**
 * `gantry-admin`: API keys for the gateway.
 *   node apps/gateway/dist/cli.js keys create --tenant acme [--name ci] [--scopes jobs,admin]
 *   node apps/gateway/dist/cli.js keys list [--tenant acme]
 *   node apps/gateway/dist/cli.js keys revoke <id>
 * Reads DATABASE_URL; the key is printed once and only its SHA-256 is stored.
 */
import { parseArgs } from 'node:util';
import { parseEnv } from '@gantry/config';
import {
  apiKeyScopes,
  type ApiKeyScope,
  createApiKeyRepository,
  createPool,
  migrate,
} from '@gantry/job-store';
import { z } from 'zod';

const usage = `usage:
  keys create --tenant <tenant> [--name <name>] [--scopes jobs,admin]
  keys list [--tenant <tenant>]
  keys revoke <key-id>`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    tenant: { type: 'string' },
    name: { type: 'string' },
    scopes: { type: 'string' },
    json: { type: 'boolean' },
  },
});
const [area, command, argument] = positionals;
const env = parseEnv(z.object({ DATABASE_URL: z.string().min(1, 'set DATABASE_URL') }));
const pool = createPool(env.DATABASE_URL);

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
    });
    console.log(values.json ? JSON.stringify({ ...created, tenant: values.tenant, scopes }) : created.key);
  } else if (command === 'list') {
    for (const key of await keys.list(values.tenant)) {
      console.log(
        `${key.id}  ${key.tenant}  ${key.name}  ${key.scopes.join(',')}  ${key.revoked_at ? 'revoked' : 'active'}`,
      );
    }
  } else if (command === 'revoke' && argument) {
    if (!(await keys.revoke(argument))) throw new Error(`no active key ${argument}`);
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
