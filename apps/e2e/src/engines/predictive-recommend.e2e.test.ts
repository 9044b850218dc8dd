import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PredictiveRecommendOutput, PredictiveTrainRecommenderOutput } from '@gantry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineStack, startEngineStack, workerModule } from './engine-stack.js';
import type { ErrorReply, Job } from './gantry-client.js';
import { interactionsJsonl } from './recommender-interactions.js';

// Real: gateway over HTTP (multipart upload), Redis queue, Postgres records, the predictive worker
// training an item-item recommender into a registry directory and answering from it.
let stack: EngineStack;
let registryDir: string;
beforeAll(async () => {
  registryDir = await mkdtemp(path.join(tmpdir(), 'gantry-e2e-registry-'));
  // Engine processes inherit this process's environment: the worker reads its registry from here.
  process.env['PREDICTIVE_REGISTRY_DIR'] = registryDir;
  stack = await startEngineStack('recommend', [{ module: workerModule('predictive'), app: 'predictive' }]);
});
afterAll(async () => {
  await stack?.close();
  delete process.env['PREDICTIVE_REGISTRY_DIR'];
  await rm(registryDir, { recursive: true, force: true });
});

async function finished<T>(reply: { status: number; body: unknown }): Promise<Job<T>> {
  expect([200, 202]).toContain(reply.status);
  const job = reply.body as Job<T>;
  return reply.status === 200 && job.status !== 'queued' && job.status !== 'running'
    ? job
    : stack.client.waitFor<T>(job.id, undefined, 60_000);
}
const recommend = async (input: Record<string, unknown>) =>
  finished<PredictiveRecommendOutput>(await stack.client.submit('predictive.recommend', input, 30));

describe('predictive.train-recommender and predictive.recommend through the whole stack', () => {
  it('trains from an uploaded JSONL file, then recommends for a known user, an unknown one and an item', async () => {
    const trained = await finished<PredictiveTrainRecommenderOutput>(
      await stack.client.upload(
        'predictive.train-recommender',
        { bytes: interactionsJsonl(), filename: 'interactions.jsonl' },
        { user_column: 'who', item_column: 'what', time_column: 'at' },
        30,
      ),
    );
    expect(trained.status).toBe('succeeded');
    expect(trained.output?.model).toEqual({ name: 'recommender', version: '1' });
    expect(trained.output?.metrics).toMatchObject({ users: 60, items: 16, interactions: 180 });

    const known = await recommend({ user_id: 'r1', k: 3 });
    expect(known.model).toMatchObject({ name: 'recommender', version: '1' });
    expect(known.output?.fallback).toBe(false);
    expect(known.output?.items.length).toBeGreaterThan(0);
    expect(known.output?.items.every((item) => item.item_id.startsWith('book'))).toBe(true);

    const stranger = await recommend({ user_id: 'nobody', k: 4 });
    expect(stranger.output?.fallback).toBe(true);
    expect(stranger.output?.items).toHaveLength(4);

    const similar = await recommend({ item_id: 'film-2', k: 2, model_version: '1' });
    expect(similar.output?.items.map((item) => item.item_id.slice(0, 4))).toEqual(['film', 'film']);
  });

  it('fails with ITEM_NOT_FOUND for an item the model never saw', async () => {
    const job = await recommend({ item_id: 'spaceship', k: 3 });
    expect(job.status).toBe('failed');
    expect(job.error?.code).toBe('ITEM_NOT_FOUND');
  });

  it.each([
    ['neither a user nor an item', { k: 3 }, ['user_id']],
    ['both a user and an item', { user_id: 'r1', item_id: 'book-1' }, ['user_id']],
    ['k of 0', { user_id: 'r1', k: 0 }, ['k']],
  ])('answers 422 at the gateway for %s', async (_name, input, where) => {
    const reply = await stack.client.submit('predictive.recommend', input);
    expect(reply.status).toBe(422);
    expect(((reply.body as ErrorReply).error.details.issues ?? []).map((issue) => issue.path)).toContainEqual(
      where,
    );
  });
});
