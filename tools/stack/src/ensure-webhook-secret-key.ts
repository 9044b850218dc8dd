import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The key that seals the tenants' webhook secrets in PostgreSQL: WEBHOOK_SECRET_KEY when set; otherwise
 * one made on the first start and kept in GANTRY_HOME (readable by its owner only), so the secrets in the
 * database still open after a restart. Losing the file loses every tenant's secret: they rotate anew.
 */
export async function ensureWebhookSecretKey(
  configured: string | undefined,
  home: string,
  log: (line: string) => void,
): Promise<string> {
  if (configured) return configured;
  const file = path.resolve(home, 'webhook-secret-key');
  const kept = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (kept !== null) return kept.trim();
  const key = randomBytes(32).toString('hex');
  await mkdir(home, { recursive: true });
  // `wx`: two stacks starting at once never overwrite each other's key.
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  log(
    `made the key that seals webhook secrets (WEBHOOK_SECRET_KEY) in ${file}: without it the webhook secrets in the database never open again`,
  );
  return key;
}
