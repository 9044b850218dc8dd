import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type {
  BlobObject,
  ModelList,
  PredictiveFraudScoreOutput,
  PredictiveRecommendOutput,
  ScheduleObject,
} from '@gantry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineStack, startEngineStack, workerModule } from './engine-stack.js';
import { transactionsCsv } from './fraud-transactions.js';
import type { Job } from './gantry-client.js';
import { interactionsJsonl } from './recommender-interactions.js';

// Real: the gateway over HTTP (POST /v1/blobs, schedules as BullMQ job schedulers, the model registry
// asked over the control plane), Redis, Postgres records, and the predictive worker's engine process
// training into a registry directory and scoring from it. Each dataset is uploaded once; every tick of
// its schedule trains a new version from it.
let stack: EngineStack;
let registryDir: string;
beforeAll(async () => {
  registryDir = await mkdtemp(path.join(tmpdir(), 'gantry-e2e-retrain-'));
  // Engine processes inherit this process's environment: the worker reads its registry from here.
  process.env['PREDICTIVE_REGISTRY_DIR'] = registryDir;
  stack = await startEngineStack(
    'retrain',
    [{ module: workerModule('predictive'), app: 'predictive' }],
    ['jobs', 'platform'],
  );
});
afterAll(async () => {
  await stack?.close();
  delete process.env['PREDICTIVE_REGISTRY_DIR'];
  await rm(registryDir, { recursive: true, force: true });
});

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});
async function uploadBlob(bytes: Uint8Array, filename: string): Promise<BlobObject> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)]), filename);
  const reply = await stack.client.request<BlobObject>('/v1/blobs', { method: 'POST', body: form });
  expect(reply.status).toBe(201);
  return reply.body;
}
/** Versions of a model in the registry, oldest first (`GET /v1/models`). */
async function versionsOf(name: string): Promise<string[]> {
  const reply = await stack.client.request<ModelList>('/v1/models');
  expect(reply.status).toBe(200);
  const versions = reply.body.data.find((model) => model.name === name)?.versions ?? [];
  return versions.map((v) => v.version).sort((a, b) => Number(a) - Number(b));
}
async function waitForVersions(name: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const versions = await versionsOf(name);
    if (versions.length >= count) return versions;
    if (Date.now() > deadline) throw new Error(`${name}: only versions ${versions.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
/** The schedule's jobs once none is left to run: each trained from the one uploaded blob. */
async function settledJobsOf(type: string): Promise<Job<{ model: { version: string } }>[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const reply = await stack.client.request<{ data: Job<{ model: { version: string } }>[] }>(
      `/v1/jobs?type=${type}&limit=100`,
    );
    const jobs = reply.body.data;
    if (jobs.every((job) => ['succeeded', 'failed', 'canceled', 'timed_out'].includes(job.status))) {
      return jobs;
    }
    if (Date.now() > deadline) throw new Error(`${type} jobs still running`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('retraining on a schedule from a dataset uploaded once', () => {
  it('trains a new fraud and recommender version per tick; scoring pinned to the newest works', async () => {
    const transactions = await uploadBlob(transactionsCsv(1_500, 7), 'transactions.csv');
    const interactions = await uploadBlob(interactionsJsonl(), 'interactions.jsonl');
    const schedule = async (target: Record<string, unknown>) => {
      const reply = await stack.client.request<ScheduleObject>('/v1/schedules', json({ every: 5, target }));
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      return reply.body;
    };
    const fraud = await schedule({
      type: 'predictive.train-fraud',
      input: {
        file: { blob_id: transactions.blob_id },
        label_column: 'label',
        time_column: 'time',
        categorical_columns: ['channel'],
      },
    });
    const recommender = await schedule({
      type: 'predictive.train-recommender',
      input: {
        file: { blob_id: interactions.blob_id },
        user_column: 'who',
        item_column: 'what',
        time_column: 'at',
      },
    });
    // The schedule holds the blob's full reference, which each tick's job is given.
    expect(fraud.target.input['file']).toMatchObject({
      blob_id: transactions.blob_id,
      sha256: transactions.sha256,
      size: transactions.size,
    });

    await waitForVersions('fraud', 2);
    await waitForVersions('recommender', 2);
    for (const { id } of [fraud, recommender]) {
      expect((await stack.client.request(`/v1/schedules/${id}`, { method: 'DELETE' })).status).toBe(204);
    }

    for (const [type, name, blob] of [
      ['predictive.train-fraud', 'fraud', transactions],
      ['predictive.train-recommender', 'recommender', interactions],
    ] as const) {
      const jobs = await settledJobsOf(type);
      expect(jobs.length).toBeGreaterThanOrEqual(2);
      // Every tick's job read the one upload and published a version of its own.
      for (const job of jobs) {
        expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
        expect((job.input as { file: { blob_id: string } }).file.blob_id).toBe(blob.blob_id);
      }
      const trained = jobs
        .map((job) => job.output?.model.version ?? '')
        .sort((a, b) => Number(a) - Number(b));
      expect(new Set(trained).size).toBe(jobs.length);
      expect(trained).toEqual(await versionsOf(name));
    }

    const newestFraud = (await versionsOf('fraud')).at(-1) as string;
    expect(Number(newestFraud)).toBeGreaterThanOrEqual(2);
    const scored = await stack.client.submit<Job<PredictiveFraudScoreOutput>>(
      'predictive.fraud-score',
      { transactions: [{ amount: 450, foreign: 1, channel: 'web' }], model_version: newestFraud },
      60,
    );
    const scoredJob = await stack.client.waitFor<PredictiveFraudScoreOutput>(
      scored.body.id,
      undefined,
      60_000,
    );
    expect(scoredJob.status, JSON.stringify(scoredJob.error)).toBe('succeeded');
    expect(scoredJob.model?.version).toBe(newestFraud);
    expect(scoredJob.output?.results).toHaveLength(1);
    expect(scoredJob.output?.results[0]?.probability).toBeGreaterThan(0.5);

    const newestRecommender = (await versionsOf('recommender')).at(-1) as string;
    const recommended = await stack.client.submit<Job<PredictiveRecommendOutput>>(
      'predictive.recommend',
      { user_id: 'r1', k: 3, model_version: newestRecommender },
      60,
    );
    const recommendJob = await stack.client.waitFor<PredictiveRecommendOutput>(
      recommended.body.id,
      undefined,
      60_000,
    );
    expect(recommendJob.status, JSON.stringify(recommendJob.error)).toBe('succeeded');
    expect(recommendJob.model?.version).toBe(newestRecommender);
    expect(recommendJob.output?.items.every((item) => item.item_id.startsWith('book'))).toBe(true);
  }, 240_000);
});
