// Model test: the real engine in a child process whose every network call throws and is logged
// (src/testing/deny-network.cjs), in every thread. It must start, read and stop without one.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { characterErrorRate } from '../testing/character-error-rate.js';
import { invoiceText, ocrFixturesDir } from '../testing/ocr-fixtures.js';

const run = promisify(execFile);
const testing = path.resolve(import.meta.dirname, '../testing');
const denyNetwork = ['--require', path.join(testing, 'deny-network.cjs')];

let workDir: string;
let logDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'gantry-ocr-cwd-'));
  logDir = await mkdtemp(path.join(tmpdir(), 'gantry-ocr-netlog-'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
  await rm(logDir, { recursive: true, force: true });
});

async function attempts(log: string): Promise<{ call: string; thread: number }[]> {
  const text = await readFile(log, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { call: string; thread: number });
}

describe('offline', () => {
  it('the trap catches and logs network calls in the main thread and in worker threads', async () => {
    const log = path.join(logDir, 'probe.jsonl');
    // Loopback only: nothing listens on port 9 and nothing would leave the machine anyway.
    const probe = `
      import { Worker } from 'node:worker_threads';
      import dns from 'node:dns';
      import http from 'node:http';
      import net from 'node:net';
      const attempt = async (call) => { try { await call(); } catch {} };
      await attempt(() => fetch('http://127.0.0.1:9/'));
      await attempt(() => dns.promises.lookup('localhost'));
      await attempt(() => net.connect(9, '127.0.0.1'));
      await attempt(() => http.get('http://127.0.0.1:9/'));
      const worker = new Worker("fetch('http://127.0.0.1:9/').catch(() => {})", { eval: true });
      await new Promise((resolve) => worker.on('exit', resolve));
    `;
    await run(process.execPath, [...denyNetwork, '--input-type=module', '-e', probe], {
      cwd: workDir,
      env: { ...process.env, GANTRY_NETWORK_LOG: log },
    });
    const calls = await attempts(log);
    expect(calls).toEqual(
      expect.arrayContaining([
        { call: 'fetch', thread: 0 },
        { call: 'dns.promises.lookup', thread: 0 },
        { call: 'net.connect', thread: 0 },
        { call: 'node:http.get', thread: 0 },
        { call: 'fetch', thread: 1 },
      ]),
    );
  });

  it('starts the engine and reads an image without any network call or file written', async () => {
    const log = path.join(logDir, 'engine.jsonl');
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const { stdout } = await run(
      process.execPath,
      [
        '--conditions=@gantry/source',
        ...denyNetwork,
        '--import',
        tsx,
        path.join(testing, 'offline-extract.ts'),
        path.join(ocrFixturesDir, 'invoice-clean.png'),
      ],
      { cwd: workDir, env: { ...process.env, GANTRY_NETWORK_LOG: log }, timeout: 50_000 },
    );
    const result = JSON.parse(stdout) as { text: string; models: { name: string }[] };
    expect(characterErrorRate(result.text, invoiceText())).toBeLessThanOrEqual(0.02);
    expect(result.models.map((model) => model.name)).toEqual(['tesseract-eng']);
    expect(await attempts(log)).toEqual([]);
    // cacheMethod 'none': no eng.traineddata cached in the working directory.
    expect(await readdir(workDir)).toEqual([]);
  }, 60_000);
});
