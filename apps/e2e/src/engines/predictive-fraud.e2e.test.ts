import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PredictiveFraudScoreOutput, PredictiveTrainFraudOutput } from '@gantry/contracts';
import { createModelRegistry } from '@gantry/predictive-worker/model-engines';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineStack, startEngineStack, workerModule } from './engine-stack.js';
import { transactionsCsv } from './fraud-transactions.js';
import { waitUntil } from '../harness/wait-until.js';
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

  // The gateway asks the predictive worker for the pinned (else promoted) version's feature schema over
  // the control plane, and refuses what does not fit before a job exists.
  const refused = async (input: Record<string, unknown>, status = 422) => {
    const reply = await stack.client.submit('predictive.fraud-score', input);
    expect(reply.status).toBe(status);
    return (reply.body as ErrorReply).error;
  };
  const pathsOf = (error: ErrorReply['error']) => (error.details.issues ?? []).map((issue) => issue.path);

  it('answers 422 at submission naming each missing, extra or mistyped feature', async () => {
    const error = await refused({ transactions: [risky, { amount: 'NaN', channel: 'web', tip: 3 }] });
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(pathsOf(error)).toEqual([
      ['transactions', 1, 'amount'],
      ['transactions', 1, 'foreign'],
      ['transactions', 1, 'tip'],
    ]);
    expect(error.details.issues?.map((issue) => issue.message)).toEqual([
      'amount must be a finite number, got "NaN"',
      'missing feature foreign (a number)',
      'unknown feature tip; the model reads amount, foreign, channel',
    ]);
    // Against the pinned version's schema too, and a category given as a number.
    expect(pathsOf(await refused({ transactions: [{ ...safe, channel: 3 }], model_version: '1' }))).toEqual([
      ['transactions', 0, 'channel'],
    ]);
  });

  it('answers 422 for non-finite amounts: NaN (null in JSON) and a number JSON overflows to Infinity', async () => {
    // JSON.stringify writes NaN as null: the feature is missing.
    expect(pathsOf(await refused({ transactions: [{ ...safe, amount: Number.NaN }] }))).toEqual([
      ['transactions', 0, 'amount'],
    ]);
    const reply = await stack.client.request<ErrorReply>('/v1/jobs/predictive.fraud-score', {
      method: 'POST',
      body: '{"input":{"transactions":[{"amount":1e999,"foreign":0,"channel":"pos"}]}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(reply.status).toBe(422);
    expect(reply.body.error.details.issues?.map((issue) => issue.path)).toContainEqual([
      'transactions',
      0,
      'amount',
    ]);
  });

  it('answers 404 MODEL_VERSION_NOT_FOUND at submission for a pinned version the registry lacks', async () => {
    const error = await refused({ transactions: [safe], model_version: '42' }, 404);
    expect(error.code).toBe('MODEL_VERSION_NOT_FOUND');
    expect(error.details).toMatchObject({ name: 'fraud', version: '42', versions: ['1', '2'] });
  });

  it('still accepts a valid submission with 202, pinned or not', async () => {
    for (const input of [{ transactions: [risky, safe] }, { transactions: [safe], model_version: '2' }]) {
      const reply = await stack.client.submit<Job>('predictive.fraud-score', input);
      expect(reply.status).toBe(202);
      expect((await stack.client.waitFor(reply.body.id, undefined, 60_000)).status).toBe('succeeded');
    }
  });

  it('refuses a batch of scoring jobs whose items do not fit, naming the item and the feature', async () => {
    const reply = await stack.client.request<ErrorReply>('/v1/batches', {
      method: 'POST',
      body: JSON.stringify({
        type: 'predictive.fraud-score',
        items: [{ transactions: [safe] }, { transactions: [safe, { ...risky, coupon: 'x' }] }],
      }),
      headers: { 'content-type': 'application/json' },
    });
    expect(reply.status).toBe(422);
    expect(reply.body.error.details.issues?.map((issue) => issue.path)).toEqual([
      ['items', 1, 'transactions', 1, 'coupon'],
    ]);
  });

  it('refuses a schedule of scoring jobs whose transactions do not fit, naming the path under target', async () => {
    const reply = await stack.client.request<ErrorReply>('/v1/schedules', {
      method: 'POST',
      body: JSON.stringify({
        every: 3_600,
        target: { type: 'predictive.fraud-score', input: { transactions: [{ ...safe, foreign: 'no' }] } },
      }),
      headers: { 'content-type': 'application/json' },
    });
    expect(reply.status).toBe(422);
    expect(reply.body.error.code).toBe('VALIDATION_FAILED');
    expect(reply.body.error.details.issues?.map((issue) => issue.path)).toEqual([
      ['target', 'input', 'transactions', 0, 'foreign'],
    ]);
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

  // Last: it stops the worker. With none to ask, the gateway cannot know the schema and does not refuse
  // the job; the worker will check it when one runs it (here: none will).
  it('accepts a scoring job it cannot check once no predictive worker answers', async () => {
    await Promise.all(stack.workers.map((worker) => worker.close()));
    const bad = { transactions: [{ ...safe, tip: 3 }] };
    // The promoted version's schema is reused for a few seconds after its answer.
    const reply = await waitUntil(
      () => stack.client.submit('predictive.fraud-score', bad),
      (r) => r.status === 202,
      { what: 'the unchecked job accepted', timeoutMs: 20_000, intervalMs: 500 },
    );
    expect((reply.body as Job).status).toBe('queued');
  });
});
