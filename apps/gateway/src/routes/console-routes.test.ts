import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '@gantry/observability';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../http/error-handler.js';
import { consoleRoutes } from './console-routes.js';

// The console's routes over HTTP, on a build of its own (a page and one asset) and on none at all.
let built: string;
const servers: Server[] = [];
const urls: { built: string; missing: string } = { built: '', missing: '' };

async function serve(dir: string): Promise<string> {
  const app = express();
  consoleRoutes(app, dir);
  app.use(errorHandler(createLogger('test', 'silent')));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  built = await mkdtemp(path.join(tmpdir(), 'gantry-console-'));
  await mkdir(path.join(built, 'assets'));
  await writeFile(path.join(built, 'index.html'), '<!doctype html><title>Gantry console</title>');
  await writeFile(path.join(built, 'assets', 'index-abc123.js'), 'export {};');
  urls.built = await serve(built);
  urls.missing = await serve(path.join(built, 'no-such-build'));
});
afterAll(async () => {
  for (const server of servers) server.close();
  await rm(built, { recursive: true, force: true });
});

describe('the console routes', () => {
  it('serve the page, never cached, under a CSP that allows only its own script, styles and API', async () => {
    const page = await fetch(`${urls.built}/console`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Gantry console');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const policy = page.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "connect-src 'self'",
      "frame-ancestors 'none'",
    ]) {
      expect(policy).toContain(directive);
    }
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serve hashed assets for good, and a missing one as 404', async () => {
    const asset = await fetch(`${urls.built}/console/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-security-policy')).toContain("script-src 'self'");
    const missing = await fetch(`${urls.built}/console/assets/index-nope.js`);
    expect(missing.status).toBe(404);
  });

  it('answer NOT_FOUND saying what to build when the console is not built', async () => {
    const page = await fetch(`${urls.missing}/console`);
    expect(page.status).toBe(404);
    const body = (await page.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.message).toContain('nx run @gantry/console:build');
  });
});
