import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GantryError, type PredictiveTrainRecommenderInput } from '@gantry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelRegistry, type ModelRegistry } from '../registry/model-registry.js';
import { seededRandom } from '../testing/synthetic-series.js';
import { createRecommenderEngine, type RecommenderEngine } from './create-recommender-engine.js';

// Real: the registry on disk, training, the stored JSON model and its checksum.
let dir: string;
let registry: ModelRegistry;
let engine: RecommenderEngine;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'recommender-engine-'));
  registry = createModelRegistry(dir);
  engine = createRecommenderEngine({ registry });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Two tastes: users u0–u99 take books b0–b9, users u100–u199 films f0–f9; each takes 4 of their 10. */
function interactionsCsv(): string {
  const random = seededRandom(9);
  const lines = ['user,item,weight,time'];
  for (let u = 0; u < 200; u += 1) {
    const prefix = u < 100 ? 'b' : 'f';
    const picks = new Set<number>();
    while (picks.size < 4) picks.add(Math.floor(random() * 10));
    [...picks].forEach((pick, i) => lines.push(`u${u},${prefix}${pick},${1 + i},${u * 10 + i}`));
  }
  return `${lines.join('\n')}\n`;
}

const request = (extra: Partial<PredictiveTrainRecommenderInput> = {}): PredictiveTrainRecommenderInput => ({
  file: { blob_id: 'test' },
  user_column: 'user',
  item_column: 'item',
  weight_column: 'weight',
  time_column: 'time',
  on_malformed: 'fail',
  ...extra,
});
const bytes = (text: string) => new TextEncoder().encode(text);

describe('recommender engine', () => {
  it('trains a version whose leave-latest-out recall beats popularity, and recommends within the taste', async () => {
    const trained = await engine.train(bytes(interactionsCsv()), request());
    expect(trained.model).toEqual({ name: 'recommender', version: '1' });
    expect(trained.metrics).toMatchObject({ users: 200, items: 20, interactions: 800 });
    expect(trained.metrics.recall_at_10).toBeGreaterThan(
      (trained.metrics.popularity_recall_at_10 ?? 1) + 0.2,
    );

    const forReader = await engine.recommend({ user_id: 'u3', k: 5, include_seen: false });
    expect(forReader.fallback).toBe(false);
    expect(forReader.items).toHaveLength(5);
    expect(forReader.items.every((item) => item.item_id.startsWith('b'))).toBe(true);
    const seen = await engine.recommend({ user_id: 'u3', k: 10, include_seen: true });
    expect(seen.items.length).toBeGreaterThan(forReader.items.length);

    const similar = await engine.recommend({ item_id: 'f2', k: 3, include_seen: false });
    expect(similar.items.map((item) => item.item_id[0])).toEqual(['f', 'f', 'f']);
  });

  it('answers an unknown user with the most popular items, flagged', async () => {
    const result = await engine.recommend({ user_id: 'stranger', k: 3, include_seen: false });
    expect(result.fallback).toBe(true);
    expect(result.items).toHaveLength(3);
  });

  it('refuses an unknown item, and a version the registry lacks', async () => {
    const unknownItem = await engine
      .recommend({ item_id: 'zz', k: 3, include_seen: false })
      .catch((e: unknown) => e);
    expect((unknownItem as GantryError).code).toBe('ITEM_NOT_FOUND');
    const unknownVersion = await engine
      .recommend({ user_id: 'u1', k: 3, include_seen: false, model_version: '9' })
      .catch((e: unknown) => e);
    expect((unknownVersion as GantryError).code).toBe('MODEL_VERSION_NOT_FOUND');
  });

  it('names malformed rows by line (fail), or leaves them out (skip)', async () => {
    const lines = interactionsCsv().split('\n');
    lines[2] = 'u1,b1,-3,11';
    const csv = lines.join('\n');
    const failed = await engine.train(bytes(csv), request()).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(GantryError);
    expect((failed as GantryError).details).toMatchObject({ rows: [{ line: 3 }] });
    const skipped = await engine.train(bytes(csv), request({ on_malformed: 'skip' }));
    expect(skipped.metrics.skipped_rows.map((row) => row.line)).toEqual([3]);
  });
});
