/**
 * `npm test`: runs a command (the whole test run) with the Redis, PostgreSQL and shared files the
 * tests expect, starting what is missing once for every project's tests, and stopping it after.
 * Usage: node tools/stack/dist/with-test-services.js <command> [args…]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTestServices } from './ensure-test-services.js';

const root = path.resolve(fileURLToPath(import.meta.url), '../../../..');
const log = (line: string) => console.log(`[test-services] ${line}`);
const [command, ...args] = process.argv.slice(2);
if (!command) throw new Error('usage: with-test-services <command> [args…]');

let stop: () => Promise<void>;
try {
  stop = await ensureTestServices({
    sharedDir: path.resolve(root, '../shared'),
    redisPort: 6379,
    postgresPort: 5432,
    log,
  });
} catch (error) {
  console.error(`[test-services] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

// A Ctrl-C reaches the command too (same process group); the services stop once it has exited.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => undefined);
const child = spawn(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
await stop();
process.exitCode = code ?? (signal ? 1 : 0);
