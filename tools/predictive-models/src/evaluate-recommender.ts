/**
 * `npx nx run @gantry/predictive-models:evaluate-recommender`: trains the item-item recommender on
 * synthetic implicit feedback (see synthetic-interactions.ts; 5,000 users) and prints its
 * leave-latest-out recall@10 against the most-popular baseline (target: ≥ 20 % above it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createModelRegistry, createRecommenderEngine } from '@gantry/predictive-worker/model-engines';
import { syntheticInteractions } from './synthetic-interactions.js';

const dir = await mkdtemp(path.join(tmpdir(), 'evaluate-recommender-'));
try {
  const engine = createRecommenderEngine({ registry: createModelRegistry(dir) });
  const started = performance.now();
  const { metrics } = await engine.train(new TextEncoder().encode(syntheticInteractions(5_000, 1)), {
    file: { blob_id: 'synthetic-interactions' },
    user_column: 'user',
    item_column: 'item',
    weight_column: 'weight',
    time_column: 'time',
    on_malformed: 'fail',
  });
  const seconds = (performance.now() - started) / 1000;
  const model = metrics.recall_at_10 ?? 0;
  const popular = metrics.popularity_recall_at_10 ?? 0;
  const lift = popular > 0 ? model / popular - 1 : Number.POSITIVE_INFINITY;
  console.log(
    `| recommender (${metrics.users} users, ${metrics.items} items, ${metrics.interactions} interactions; trained in ${seconds.toFixed(1)} s) | value | target |`,
  );
  console.log('| --- | --- | --- |');
  console.log(`| recall@10, item-item CF | ${model.toFixed(4)} | |`);
  console.log(`| recall@10, most popular | ${popular.toFixed(4)} | |`);
  console.log(`| lift | ${(100 * lift).toFixed(1)} % | ≥ 20 % ${lift >= 0.2 ? 'PASS' : 'FAIL'} |`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
