import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PredictiveFraudScoreOutput, PredictiveTrainFraudOutput } from '@gantry/contracts';
import { createModelRegistry } from '@gantry/predictive-worker/model-engines';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineStack, startEngineStack, workerModule } from './engine-stack.js';
import { transactionsCsv } from './fraud-transactions.js';
import type { ErrorReply, Job } from './gantry-client.js';

// Real: gateway over HTTP (multipart upload into the blob store), Redis queue, Postgres records, the
// predictive worker's engine process training into a registry directory and scoring with onnxruntime.
let stack: EngineStack;
let registryDir: string;
beforeAll(async () => {
  registryDir = await mkdtemp(path.join(tmpdir(), 'gantry-e2e-registry-'));
  // Engine processes inherit this process's environment: the worker reads its registry from here.
  process.env['PREDICTIVE_REGISTRY_DIR'] = registryDir;
  stack = await startEngineStack('fraud', [{ module: workerModule('predictive'), app: 'predictive' }]);
});
afterAll(async () => {
  await stack?.close();
  delete process.env['PREDICTIVE_REGISTRY_DIR'];
  await rm(registryDir, { recursive: true, force: true });
});

const trainInput = { label_column: 'label', time_column: 'time', categorical_columns: ['channel'] };

async function finished<T>(reply: { status: number; body: unknown }): Promise<Job<T>> {
  expect([200, 202]).toContain(reply.status);
  const job = reply.body as Job<T>;
  return reply.status === 200 && job.status !== 'queued' && job.status !== 'running'
    ? job
    : stack.client.waitFor<T>(job.id, undefined, 60_000);
}

const train = async (bytes: Uint8Array, input: Record<string, unknown> = trainInput) =>
  finished<PredictiveTrainFraudOutput>(
    await stack.client.upload('predictive.train-fraud', { bytes, filename: 'transactions.csv' }, input, 30),
  );
const score = async (input: Record<string, unknown>) =>
  finished<PredictiveFraudScoreOutput>(await stack.client.submit('predictive.fraud-score', input, 30));

const risky = { amount: 450, foreign: 1, channel: 'web' };
const safe = { amount: 8, foreign: 0, channel: 'pos' };

describe('predictive.train-fraud and predictive.fraud-score through the whole stack', () => {
  it('trains from an uploaded CSV into registry version 1, and scores with it at once', async () => {
    const trained = await train(transactionsCsv(3_000, 7));
    expect(trained.status).toBe('succeeded');
    expect(trained.output?.model).toEqual({ name: 'fraud', version: '1' });
    expect(trained.output?.metrics.roc_auc).toBeGreaterThan(0.8);

    const scored = await score({ transactions: [risky, safe], model_version: '1', threshold: 0.5 });
    expect(scored.status).toBe('succeeded');
    expect(scored.model).toMatchObject({ name: 'fraud', version: '1' });
    const output = scored.output as PredictiveFraudScoreOutput;
    expect(output.model).toEqual({ name: 'fraud', version: '1' });
    expect(output.results.map((r) => r.decision)).toEqual([true, false]);
    expect(output.results[0]?.top_features[0]).toMatchObject({ feature: expect.any(String) });
  });

  it('follows a promotion and a rollback in the running worker, and keeps serving a pinned version', async () => {
    const second = await train(transactionsCsv(2_000, 11));
    expect(second.output?.model.version).toBe('2');
    const registry = createModelRegistry(registryDir);
    const promotedVersion = async () => (await score({ transactions: [safe] })).output?.model.version;
    expect(await promotedVersion()).toBe('1');
    await registry.promote('fraud', '2');
    expect(await promotedVersion()).toBe('2');
    expect((await score({ transactions: [safe], model_version: '1' })).output?.model.version).toBe('1');
    await registry.rollback('fraud');
    expect(await promotedVersion()).toBe('1');
  });

  it('fails a scoring job with VALIDATION_FAILED naming each missing, extra or mistyped feature', async () => {
    const job = await score({ transactions: [risky, { amount: 'NaN', channel: 'web', tip: 3 }] });
    expect(job.status).toBe('failed');
    expect(job.error?.code).toBe('VALIDATION_FAILED');
    const paths = (job.error?.details as { issues: { path: unknown[] }[] }).issues.map((issue) => issue.path);
    expect(paths).toEqual([
      ['transactions', 1, 'amount'],
      ['transactions', 1, 'foreign'],
      ['transactions', 1, 'tip'],
    ]);
  });

  it('fails with MODEL_VERSION_NOT_FOUND for a version the registry lacks', async () => {
    const job = await score({ transactions: [safe], model_version: '42' });
    expect(job.error?.code).toBe('MODEL_VERSION_NOT_FOUND');
  });

  it('fails training on one class only, and on malformed rows unless told to skip them', async () => {
    expect((await train(transactionsCsv(300, 3, { oneClass: true }))).error?.code).toBe('DATASET_ONE_CLASS');
    const text = new TextDecoder().decode(transactionsCsv(1_000, 5)).split('\n');
    text[3] = 'not,a,row';
    text[7] = '2026-01-01T00:06:00Z,12';
    const bytes = new TextEncoder().encode(text.join('\n'));
    const failed = await train(bytes);
    expect(failed.error?.code).toBe('DATASET_INVALID');
    expect((failed.error?.details as { rows: { line: number }[] }).rows.map((row) => row.line)).toEqual([
      4, 8,
    ]);
    const skipped = await train(bytes, { ...trainInput, on_malformed: 'skip' });
    expect(skipped.status).toBe('succeeded');
    expect(skipped.output?.metrics.skipped_rows.map((row) => row.line)).toEqual([4, 8]);
  });

  const bad: [string, Record<string, unknown>, (string | number)[]][] = [
    ['no transactions', { transactions: [] }, ['transactions']],
    ['a threshold above 1', { transactions: [safe], threshold: 2 }, ['threshold']],
    [
      'a model_version that is not a number',
      { transactions: [safe], model_version: 'latest' },
      ['model_version'],
    ],
    ['a transaction that is not an object', { transactions: [3] }, ['transactions', 0]],
  ];
  it.each(bad)('answers 422 at the gateway for %s, naming the field', async (_name, input, where) => {
    const reply = await stack.client.submit('predictive.fraud-score', input);
    expect(reply.status).toBe(422);
    const issues = (reply.body as ErrorReply).error.details.issues ?? [];
    expect(issues.map((issue) => issue.path)).toContainEqual(where);
  });
});
