import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { jobCatalogue, type WorkerAnnouncement } from '@gantry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayClient } from '../harness/gateway-client.js';
import type { GatewayProcess } from '../harness/gateway-process.js';
import { Platform } from '../harness/platform.js';
import { appEntry, modelsDir, repoRoot } from '../harness/repo-paths.js';
import type { WorkerApp, WorkerProcess } from '../harness/worker-process.js';

// Every app as the README starts it: `node apps/<app>/dist/main.js` with its env, real models from
// MODELS_DIR, shared Redis and Postgres under this file's prefix and schema.
const platform = await Platform.start({ label: 'apps-boot' });
const llmBuilt = existsSync(appEntry('llm'));
const apps: WorkerApp[] = ['ocr', 'vision', 'predictive', ...(llmBuilt ? (['llm'] as const) : [])];
let gateway: GatewayProcess;
let api: GatewayClient;
const workers = new Map<WorkerApp, WorkerProcess>();

platform.printLogsOnFailure();

beforeAll(async () => {
  const started = await Promise.all(apps.map((app) => platform.startWorker(app, { readyTimeoutMs: 60_000 })));
  started.forEach((worker) => workers.set(worker.app, worker));
  gateway = await platform.startGateway();
  api = platform.client(gateway, await platform.createApiKey());
}, 90_000);

afterAll(() => platform.cleanup(), 60_000);

const sha256 = async (...files: string[]) => {
  const hash = createHash('sha256');
  for (const file of files) hash.update(await readFile(file));
  return hash.digest('hex');
};
/** A dependency file of an app, found the way that app's code finds it. */
const resolveFrom = (app: string, specifier: string) =>
  createRequire(path.join(repoRoot, 'apps', app, 'package.json')).resolve(specifier);

async function announced(app: WorkerApp): Promise<WorkerAnnouncement> {
  const worker = workers.get(app);
  if (!worker) throw new Error(`${app} worker not started`);
  expect(await worker.health('/readyz')).toEqual({ status: 200, body: { status: 'ready', reason: null } });
  const announcement = await api.worker(worker.pid, 'ready');
  expect(announcement).toMatchObject({ app: `${app}-worker`, queue: app, busy: 0, state_reason: null });
  return announcement;
}

describe('every app boots from its build output', () => {
  it('gateway: /healthz and /readyz answer 200, and every job type of the catalogue is served', async () => {
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { redis: true, database: true } });
    const types = (await (await api.fetch('/v1/job-types')).json()) as {
      data: { type: string; source: string }[];
    };
    const served = new Map(types.data.map((entry) => [entry.type, entry.source]));
    expect(jobCatalogue.length).toBeGreaterThanOrEqual(3);
    for (const contract of jobCatalogue) expect(served.get(contract.type)).toBe('built-in');
  });

  it('ocr worker: ready, announcing the tesseract language data it loaded', async () => {
    const worker = await announced('ocr');
    const languageDir = path.join(
      path.dirname(resolveFrom('ocr', '@tesseract.js-data/eng')),
      '4.0.0_best_int',
    );
    expect(worker.models).toEqual([
      {
        name: 'tesseract-eng',
        version: '4.0.0_best_int',
        sha256: await sha256(path.join(languageDir, 'eng.traineddata.gz')),
      },
    ]);
    expect(worker.job_types.map((t) => t.type)).toEqual(['ocr.extract']);
  });

  it('vision worker: ready, announcing the YOLOX-Nano model file from MODELS_DIR, the barcode reader and the OCR languages', async () => {
    const worker = await announced('vision');
    const languageDir = path.join(
      path.dirname(resolveFrom('vision', '@tesseract.js-data/eng')),
      '4.0.0_best_int',
    );
    expect(worker.models).toEqual([
      {
        name: 'yolox-nano',
        version: expect.stringMatching(/\S/),
        sha256: await sha256(path.join(modelsDir, 'yolox-nano/yolox_nano.onnx')),
      },
      {
        name: 'zxing-wasm',
        version: expect.stringMatching(/\S/),
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      {
        name: 'tesseract-eng',
        version: '4.0.0_best_int',
        sha256: await sha256(path.join(languageDir, 'eng.traineddata.gz')),
      },
    ]);
    expect(worker.job_types.map((t) => t.type)).toEqual([
      'vision.detect',
      'vision.barcodes',
      'vision.enhance',
      'vision.tags',
      'vision.classify',
      'vision.video',
    ]);
  });

  it('predictive worker: ready, announcing the augurs wasm modules it runs on', async () => {
    const worker = await announced('predictive');
    const augursDir = path.dirname(resolveFrom('predictive', '@bsull/augurs/ets'));
    const { version } = JSON.parse(await readFile(path.join(augursDir, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(worker.models).toEqual([
      {
        name: 'augurs',
        version,
        sha256: await sha256(path.join(augursDir, 'ets_bg.wasm'), path.join(augursDir, 'mstl_bg.wasm')),
      },
    ]);
    expect(worker.job_types.map((t) => t.type)).toEqual([
      'predictive.forecast',
      'predictive.forecast-batch',
      'predictive.train-fraud',
      'predictive.fraud-score',
      'predictive.train-recommender',
      'predictive.recommend',
    ]);
  });

  it.skipIf(!llmBuilt)('llm worker: ready, announcing the models it loaded', async () => {
    const worker = await announced('llm');
    expect(worker.models.length).toBeGreaterThan(0);
    for (const model of worker.models) {
      expect(model).toEqual({
        name: expect.stringMatching(/\S/),
        version: expect.stringMatching(/\S/),
        // The local NLP provider is npm packages named by version, with no single file to hash.
        sha256: model.name === 'gantry-local-nlp' ? null : expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    }
    expect(worker.job_types.length).toBeGreaterThan(0);
    expect(worker.job_types.every((t) => t.type.startsWith('llm.'))).toBe(true);
  });
});
