import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { appEntry, repoRoot } from './repo-paths.js';

const exec = promisify(execFile);

/** An API key made the way an operator makes one: the gateway's admin CLI, from its build output. */
export async function createApiKey(options: {
  databaseUrl: string;
  tenant: string;
  scopes: readonly ('jobs' | 'admin' | 'platform')[];
}): Promise<string> {
  const { stdout } = await exec(
    process.execPath,
    [
      appEntry('gateway', 'cli'),
      'keys',
      'create',
      '--tenant',
      options.tenant,
      '--scopes',
      options.scopes.join(','),
      '--json',
    ],
    {
      cwd: repoRoot,
      env: { PATH: process.env['PATH'], DATABASE_URL: options.databaseUrl, LOG_LEVEL: 'warn' },
    },
  );
  const created = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { key?: string };
  if (!created.key) throw new Error(`keys create printed no key: ${stdout}`);
  return created.key;
}
