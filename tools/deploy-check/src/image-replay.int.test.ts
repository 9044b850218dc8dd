import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPool } from '@gantry/job-store';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDockerfile } from './read-dockerfile.js';
import { repoRoot } from './repo-root.js';
import { replayImage, runInImage } from './replay-image.js';

// Replays the gateway's and the llm worker's image steps, read from docker/Dockerfile, into a staging folder
// outside the repository (so nothing resolves to the repository's node_modules), then boots each app from it
// on the real Redis and PostgreSQL (own key prefix and schema) and runs the image's HEALTHCHECK command.
// Node here is the machine's (20); the image's is 22 LTS.
const stages = readDockerfile(readFileSync(path.join(repoRoot, 'docker/Dockerfile'), 'utf8'));
const id = `${process.pid}_${Date.now()}`;
const prefix = `t-image-${id}`;
const schema = `image_${id}`;
const admin = createPool('postgres://postgres@127.0.0.1:5432/test');
let staging: string;
const running: ChildProcess[] = [];

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

async function readyWithin(port: number, child: ChildProcess, log: () => string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}:\n${log()}`);
    const response = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null);
    if (response?.status === 200) return;
    if (Date.now() > deadline) throw new Error(`not ready within ${timeoutMs} ms:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const exitCode = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve),
  );

beforeAll(async () => {
  staging = await mkdtemp(path.join(tmpdir(), 'gantry-image-'));
  await admin.query(`CREATE SCHEMA ${schema}`);
});

afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
  const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await rm(staging, { recursive: true, force: true });
});

const services = {
  REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
  GANTRY_PREFIX: prefix,
  LOG_LEVEL: 'warn',
};

describe.each([
  { target: 'gateway', portVariable: 'GATEWAY_PORT', absent: ['onnxruntime-node', 'sharp', 'tesseract.js'] },
  {
    target: 'llm',
    portVariable: 'WORKER_HEALTH_PORT',
    absent: ['express', 'swagger-ui-dist', 'onnxruntime-node', 'tesseract.js'],
  },
])('the $target image, replayed', ({ target, portVariable, absent }) => {
  it(
    'holds production dependencies only, boots from them and passes its health check',
    // A replay copies and installs the image's production dependencies: minutes on a busy 2-core machine.
    { timeout: 480_000 },
    async () => {
      const image = await replayImage(stages, target, path.join(staging, target));
      const modules = image.local('/app/node_modules');
      const installed = new Set([
        ...(await readdir(modules)),
        ...(await readdir(path.join(modules, '@gantry')).catch(() => [])).map((name) => `@gantry/${name}`),
      ]);
      for (const tool of ['vitest', 'typescript', 'nx', 'eslint', 'prettier', ...absent])
        expect(installed.has(tool), tool).toBe(false);
      const { name } = JSON.parse(
        readFileSync(path.join(repoRoot, `apps/${target}/package.json`), 'utf8'),
      ) as { name: string };
      expect(installed.has(name)).toBe(true);
      // The patches of patches/ hold in the image too (docker/stage-app.sh applies them).
      expect(readFileSync(path.join(modules, 'ioredis/built/Pipeline.js'), 'utf8')).toContain(
        "Gantry's patch",
      );
      expect(existsSync(image.local(`/app/apps/${target}/dist/main.js`))).toBe(true);
      expect(existsSync(path.join(repoRoot, 'node_modules'))).toBe(true);
      expect(image.root.startsWith(repoRoot)).toBe(false);

      const port = await freePort();
      let log = '';
      const child = runInImage(image, image.cmd, {
        ...services,
        [portVariable]: String(port),
        DATABASE_URL: `postgres://postgres@127.0.0.1:5432/test?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
        BLOB_DIR: path.join(staging, 'blobs'),
        WORKER_CONCURRENCY: '1',
        ...(target === 'gateway'
          ? { GATEWAY_HOST: '127.0.0.1', WEBHOOK_SECRET_KEY: randomBytes(32).toString('hex') }
          : {}),
      });
      running.push(child);
      child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
      await readyWithin(port, child, () => log);

      const health = runInImage(image, image.healthcheck, { [portVariable]: String(port) });
      expect(await exitCode(health)).toBe(0);

      child.kill('SIGTERM');
      expect(await exitCode(child)).toBe(0);
      // With the app gone the same health check fails, so the pass above was the app's answer.
      expect(await exitCode(runInImage(image, image.healthcheck, { [portVariable]: String(port) }))).toBe(1);
    },
  );
});
