import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** The built `gantry` bin, as npm links it. */
export const cliMain = path.resolve(import.meta.dirname, '../../../cli/dist/main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `gantry <args>` as a user would (no TTY: plain progress lines), with this env on top of none. */
export function runCli(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliMain, ...args], {
      env: { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs a bash script (`$1`… the args) in which `gantry` runs the built bin, as if it were on the PATH,
 * with this env on top of none: for what a shell adds, pipes and completion.
 */
export async function runBash(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ stdout: string; stderr: string }> {
  return exec(
    'bash',
    ['-c', `gantry() { "$GANTRY_NODE" "$GANTRY_MAIN" "$@"; }\n${script}`, 'bash', ...args],
    {
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: '/nonexistent',
        GANTRY_NODE: process.execPath,
        GANTRY_MAIN: cliMain,
        ...env,
      },
    },
  );
}
