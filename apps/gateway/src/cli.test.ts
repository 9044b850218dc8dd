import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);

/** `gantry-admin <args>` from its source, as an operator would run it, with no DATABASE_URL. */
async function admin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = path.join(import.meta.dirname, 'cli.ts');
  try {
    const { stdout, stderr } = await exec(
      process.execPath,
      ['--conditions=@gantry/source', '--import', 'tsx', cli, ...args],
      { cwd: import.meta.dirname, env: { PATH: process.env['PATH'] ?? '' } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

// Each case is a process start from TypeScript sources: seconds on a loaded machine.
describe('gantry-admin usage', () => {
  it('prints the usage for --help and -h, exit 0, before it needs a database', async () => {
    const [long, short] = await Promise.all([admin('--help'), admin('keys', 'list', '-h')]);
    for (const help of [long, short]) {
      expect(help).toMatchObject({ code: 0, stderr: '' });
      expect(help.stdout).toMatch(/^usage:\n {2}keys create --tenant <tenant>/);
    }
  }, 60_000);

  it('answers an unknown option, or one without its value, with one line and the usage, exit 2', async () => {
    const [unknown, noValue] = await Promise.all([
      admin('keys', 'list', '--frob'),
      admin('keys', 'create', '--tenant'),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^gantry-admin: Unknown option '--frob'\nusage:\n/);
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toMatch(/^gantry-admin: Option '--tenant <value>' argument missing\nusage:\n/);
    for (const { stdout, stderr } of [unknown, noValue]) {
      expect(stdout).toBe('');
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  }, 60_000);

  it('names a missing DATABASE_URL in one message, exit 2, not a stack trace', async () => {
    const missing = await admin('keys', 'list');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^gantry-admin: Invalid configuration; set these environment variables:\n {2}DATABASE_URL/,
    );
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
