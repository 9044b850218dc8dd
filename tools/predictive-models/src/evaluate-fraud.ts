/**
 * `npx nx run @gantry/predictive-models:evaluate-fraud`: trains on 60,000 synthetic transactions (see
 * synthetic-fraud.ts) into a throwaway registry and prints
 * - validation ROC AUC against the Bayes-optimal AUC: that of the generating process's own probability
 *   on the same validation rows (target: within 0.01);
 * - scoring throughput of the fraud engine (encode, onnxruntime with one thread, top features) in batches
 *   of 1,000 on one core (target ≥ 20,000 rows/s), and single-row latency p50/p99 (target p99 < 5 ms).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fraudRecallTarget } from '@gantry/contracts';
import {
  createFraudEngine,
  createModelRegistry,
  rankingMetrics,
} from '@gantry/predictive-worker/model-engines';
import { syntheticFraud, toCsv } from './synthetic-fraud.js';

const rows = 60_000;
const data = syntheticFraud(rows, 1);
const dir = await mkdtemp(path.join(tmpdir(), 'evaluate-fraud-'));
const engine = await createFraudEngine({ registry: createModelRegistry(dir), intraOpNumThreads: 1 });
try {
  const started = performance.now();
  const trained = await engine.train(new TextEncoder().encode(toCsv(data)), {
    file: { blob_id: 'synthetic-fraud' },
    label_column: 'is_fraud',
    time_column: 'time',
    categorical_columns: ['merchant_category'],
    on_malformed: 'fail',
  });
  const trainSeconds = (performance.now() - started) / 1000;
  const validation = data.slice(trained.metrics.train_rows);
  const bayes = rankingMetrics(
    validation.map((row) => row.probability),
    validation.map((row) => row.is_fraud),
    fraudRecallTarget,
  );
  const gap = bayes.roc_auc - trained.metrics.roc_auc;

  const features = data.map(({ time: _t, is_fraud: _y, probability: _p, ...row }) => row);
  const batches = Array.from({ length: 20 }, (_, b) => features.slice(b * 1_000, (b + 1) * 1_000));
  for (const batch of batches.slice(0, 3)) await engine.score({ transactions: batch });
  const batchStart = performance.now();
  let scored = 0;
  for (let pass = 0; pass < 3; pass += 1)
    for (const batch of batches) scored += (await engine.score({ transactions: batch })).results.length;
  const rowsPerSecond = scored / ((performance.now() - batchStart) / 1000);

  const latencies: number[] = [];
  for (let i = 0; i < 3_000; i += 1) {
    const t0 = performance.now();
    await engine.score({ transactions: [features[i] ?? {}] });
    latencies.push(performance.now() - t0);
  }
  latencies.sort((a, b) => a - b);
  const quantile = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');

  console.log(
    `| fraud (${rows} rows, ${trained.metrics.positive_rate.toFixed(4)} positive; trained in ${trainSeconds.toFixed(1)} s) | value | target |`,
  );
  console.log('| --- | --- | --- |');
  console.log(`| validation ROC AUC | ${trained.metrics.roc_auc.toFixed(4)} | |`);
  console.log(`| Bayes-optimal ROC AUC (same rows) | ${bayes.roc_auc.toFixed(4)} | |`);
  console.log(`| gap | ${gap.toFixed(4)} | ≤ 0.01 ${verdict(gap <= 0.01)} |`);
  console.log(
    `| average precision (model / Bayes) | ${trained.metrics.average_precision.toFixed(4)} / ${bayes.average_precision.toFixed(4)} | |`,
  );
  console.log(
    `| precision at recall ${fraudRecallTarget} (model / Bayes) | ${trained.metrics.precision_at_recall.precision.toFixed(4)} / ${bayes.precision_at_recall.precision.toFixed(4)} | |`,
  );
  console.log(
    `| scoring, batches of 1,000, one core | ${Math.round(rowsPerSecond)} rows/s | ≥ 20,000 ${verdict(rowsPerSecond >= 20_000)} |`,
  );
  console.log(
    `| single row p50 / p99 | ${quantile(0.5).toFixed(3)} / ${quantile(0.99).toFixed(3)} ms | p99 < 5 ms ${verdict(quantile(0.99) < 5)} |`,
  );
} finally {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
}
