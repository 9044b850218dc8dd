import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureWebhookSecretKey } from './ensure-webhook-secret-key.js';

// A real directory: the key file is what the next start of the stack reads.
let home: string;
const lines: string[] = [];
const log = (line: string) => lines.push(line);

beforeEach(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'gantry-stack-key-'));
  lines.length = 0;
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('ensureWebhookSecretKey', () => {
  it('makes a 32-byte key once, readable by its owner only, and gives the same one on every later start', async () => {
    const key = await ensureWebhookSecretKey(undefined, home, log);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const file = path.join(home, 'webhook-secret-key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(lines.join('\n')).toContain(file);
    expect(await ensureWebhookSecretKey(undefined, home, log)).toBe(key);
    expect(lines).toHaveLength(1);
  });

  it('uses WEBHOOK_SECRET_KEY when set, and writes nothing', async () => {
    expect(await ensureWebhookSecretKey('ab'.repeat(32), home, log)).toBe('ab'.repeat(32));
    await expect(readFile(path.join(home, 'webhook-secret-key'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
