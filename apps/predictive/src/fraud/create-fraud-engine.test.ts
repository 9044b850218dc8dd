import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GantryError, type PredictiveTrainFraudInput } from '@gantry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelRegistry } from '../registry/model-registry.js';
import { syntheticTransactions, transactionsCsv } from '../testing/synthetic-transactions.js';
import { createFraudEngine, type FraudEngine } from './create-fraud-engine.js';

// Real: the registry on disk, the trainer, the ONNX graph and onnxruntime-node serving it.
let dir: string;
let engine: FraudEngine;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'fraud-engine-'));
  engine = await createFraudEngine({ registry: createModelRegistry(dir), intraOpNumThreads: 1 });
});
afterAll(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

const request = (extra: Partial<PredictiveTrainFraudInput> = {}): PredictiveTrainFraudInput => ({
  file: { blob_id: 'test' },
  label_column: 'label',
  time_column: 'time',
  categorical_columns: ['channel'],
  on_malformed: 'fail',
  ...extra,
});
const bytes = (text: string) => new TextEncoder().encode(text);
const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GantryError);
  return error as GantryError;
};

describe('fraud engine', () => {
  it('trains version 1 (promoted), validates it on the later rows, and serves it with onnxruntime', async () => {
    const trained = await engine.train(bytes(transactionsCsv(syntheticTransactions(4_000, 1))), request());
    expect(trained.model).toEqual({ name: 'fraud', version: '1' });
    expect(trained.metrics.train_rows).toBe(3_200);
    expect(trained.metrics.validation_rows).toBe(800);
    expect(trained.metrics.roc_auc).toBeGreaterThan(0.8);
    expect(trained.metrics.average_precision).toBeGreaterThan(trained.metrics.positive_rate);
    expect(trained.metrics.precision_at_recall.recall).toBeGreaterThanOrEqual(0.8);

    const scored = await engine.score({
      transactions: [
        { amount: 480, foreign: 1, channel: 'web' },
        { amount: 5, foreign: 0, channel: 'pos' },
      ],
      threshold: 0.5,
    });
    expect(scored.model).toEqual({ name: 'fraud', version: '1' });
    const [risky, safe] = scored.results;
    expect(risky?.probability).toBeGreaterThan(0.9);
    expect(risky?.decision).toBe(true);
    expect(safe?.probability).toBeLessThan(0.1);
    expect(safe?.decision).toBe(false);
    expect(risky?.top_features.map((f) => f.feature)).toContain('amount');
    expect(risky?.top_features[0]?.contribution).toBeGreaterThan(0);
  });

  it('reads the same data as JSONL', async () => {
    const jsonl = syntheticTransactions(1_000, 2)
      .map((row) => JSON.stringify(row))
      .join('\n');
    const trained = await engine.train(bytes(jsonl), request());
    expect(trained.model.version).toBe('2');
    expect(trained.metrics.roc_auc).toBeGreaterThan(0.7);
  });

  it('serves the pinned version, the promoted one by default, and follows promote and rollback at the next job', async () => {
    const registry = createModelRegistry(dir);
    const one = { transactions: [{ amount: 100, foreign: 0, channel: 'app' }] };
    expect((await engine.score(one)).model.version).toBe('1');
    expect((await engine.score({ ...one, model_version: '2' })).model.version).toBe('2');
    await registry.promote('fraud', '2');
    expect((await engine.score(one)).model.version).toBe('2');
    await registry.rollback('fraud');
    expect((await engine.score(one)).model.version).toBe('1');
    expect((await failure(engine.score({ ...one, model_version: '99' }))).code).toBe(
      'MODEL_VERSION_NOT_FOUND',
    );
  });

  it('names every missing, extra and mistyped feature in one VALIDATION_FAILED', async () => {
    const error = await failure(
      engine.score({
        transactions: [
          { amount: 10, foreign: 0, channel: 'web' },
          { amount: '12', channel: 'web', coupon: 'x' },
          { amount: 10, foreign: true, channel: 3 },
        ],
      }),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    const issues = (error.details as { issues: { path: unknown[] }[] }).issues.map((issue) => issue.path);
    expect(issues).toEqual([
      ['transactions', 1, 'amount'],
      ['transactions', 1, 'foreign'],
      ['transactions', 1, 'coupon'],
      ['transactions', 2, 'foreign'],
      ['transactions', 2, 'channel'],
    ]);
  });

  it('refuses a training set with one class only', async () => {
    const csv = transactionsCsv(syntheticTransactions(500, 3, { oneClass: true }));
    expect((await failure(engine.train(bytes(csv), request()))).code).toBe('DATASET_ONE_CLASS');
  });

  it('names malformed rows by line, and skips them when asked', async () => {
    const lines = transactionsCsv(syntheticTransactions(1_000, 4)).split('\n');
    lines[5] = '2026-01-01T00:04:00Z,abc,0,web,0';
    lines[9] = '2026-01-01T00:08:00Z,12,0';
    const csv = lines.join('\n');
    const failed = await failure(engine.train(bytes(csv), request()));
    expect(failed.code).toBe('DATASET_INVALID');
    expect((failed.details as { rows: { line: number }[] }).rows.map((row) => row.line)).toEqual([6, 10]);
    const skipped = await engine.train(bytes(csv), request({ on_malformed: 'skip' }));
    expect(skipped.metrics.skipped_rows.map((row) => row.line)).toEqual([6, 10]);
    expect(skipped.metrics.train_rows + skipped.metrics.validation_rows).toBe(998);
  });

  it('names the columns the file lacks', async () => {
    const csv = transactionsCsv(syntheticTransactions(100, 5));
    const error = await failure(engine.train(bytes(csv), request({ label_column: 'is_fraud' })));
    expect(error.code).toBe('DATASET_INVALID');
    expect(error.details).toMatchObject({ missing: ['is_fraud'] });
  });

  it('refuses a model file whose bytes no longer match its manifest', async () => {
    const registry = createModelRegistry(dir);
    const { manifest, file } = await registry.resolve('fraud', '3');
    await writeFile(file, 'corrupt');
    const error = await failure(
      engine.score({
        transactions: [{ amount: 1, foreign: 0, channel: 'web' }],
        model_version: manifest.version,
      }),
    );
    expect(error.code).toBe('MODEL_UNAVAILABLE');
  });
});
