import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type {
  ModelList,
  ModelPromotion,
  PredictiveFraudScoreOutput,
  PredictiveTrainFraudOutput,
} from '@gantry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineStack, startEngineStack, workerModule } from './engine-stack.js';
import { transactionsCsv } from './fraud-transactions.js';
import { type ErrorReply, GantryClient, type Job } from './gantry-client.js';

// Real: gateway over HTTP, the control plane (NestJS over Redis) carrying the gateway's registry commands
// to the predictive worker's main process, the registry directory it mounts, and its engine process
// training and scoring with onnxruntime. The gateway never opens the registry directory.
let stack: EngineStack;
let registryDir: string;
let jobsOnly: GantryClient;
let keyId: string;
beforeAll(async () => {
  registryDir = await mkdtemp(path.join(tmpdir(), 'gantry-e2e-models-'));
  process.env['PREDICTIVE_REGISTRY_DIR'] = registryDir;
  stack = await startEngineStack(
    'models',
    [{ module: workerModule('predictive'), app: 'predictive' }],
    ['jobs', 'admin', 'platform'],
  );
  const keys = await stack.client.request<{ data: { id: string; name: string }[] }>('/v1/keys');
  keyId = keys.body.data.find((key) => key.name === 'models')?.id ?? '';
  const created = await stack.client.request<{ key: string }>('/v1/keys', {
    method: 'POST',
    body: JSON.stringify({ name: 'tenant', scopes: ['jobs'] }),
    headers: { 'content-type': 'application/json' },
  });
  jobsOnly = new GantryClient(stack.gateway.url, created.body.key);
});
afterAll(async () => {
  await stack?.close();
  delete process.env['PREDICTIVE_REGISTRY_DIR'];
  await rm(registryDir, { recursive: true, force: true });
});

const post = <T>(route: string, body?: unknown, client = stack.client) =>
  client.request<T>(route, {
    method: 'POST',
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
const errorCode = (reply: { body: unknown }) => (reply.body as ErrorReply).error.code;

const train = async (seed: number) => {
  const reply = await stack.client.upload<Job<PredictiveTrainFraudOutput>>(
    'predictive.train-fraud',
    { bytes: transactionsCsv(1_500, seed), filename: 'transactions.csv' },
    { label_column: 'label', time_column: 'time', categorical_columns: ['channel'] },
    60,
  );
  return stack.client.waitFor<PredictiveTrainFraudOutput>(reply.body.id, undefined, 60_000);
};
/** The version a scoring job that pins none was served by, as its job record says. */
const scoredVersion = async () => {
  const reply = await stack.client.submit<Job<PredictiveFraudScoreOutput>>(
    'predictive.fraud-score',
    { transactions: [{ amount: 8, foreign: 0, channel: 'pos' }] },
    60,
  );
  const job = await stack.client.waitFor<PredictiveFraudScoreOutput>(reply.body.id, undefined, 60_000);
  expect(job.status).toBe('succeeded');
  return job.model?.version;
};

describe('the model registry through the API (platform keys)', () => {
  it('lists versions with metrics, promotes and rolls back, and jobs follow at once', async () => {
    expect((await train(7)).output?.model).toEqual({ name: 'fraud', version: '1' });
    expect((await train(11)).output?.model).toEqual({ name: 'fraud', version: '2' });

    const listed = await stack.client.request<ModelList>('/v1/models');
    expect(listed.status).toBe(200);
    const fraud = listed.body.data.find((model) => model.name === 'fraud');
    expect(fraud?.promotion).toMatchObject({ version: '1', previous: [], changed_by: null });
    expect(fraud?.versions.map((v) => [v.version, v.promoted])).toEqual([
      ['1', true],
      ['2', false],
    ]);
    expect(fraud?.versions[1]?.metrics['roc_auc']).toBeGreaterThan(0.7);

    const promoted = await post<ModelPromotion>('/v1/models/fraud/promote', { version: '2' });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ name: 'fraud', version: '2', previous: ['1'] });
    expect(await scoredVersion()).toBe('2');

    const back = await post<ModelPromotion>('/v1/models/fraud/promote', { version: '1' });
    expect(back.body).toMatchObject({ version: '1', previous: ['1', '2'] });
    expect(back.body.changed_by).toEqual({ key_id: keyId, tenant: 'e2e' });
    expect(await scoredVersion()).toBe('1');

    const rolled = await post<ModelPromotion>('/v1/models/fraud/rollback');
    expect(rolled.status).toBe(200);
    expect(rolled.body).toMatchObject({ version: '2', previous: ['1'] });
    expect(await scoredVersion()).toBe('2');

    // Who moved the promotion, from what to what and when, kept beside the model.
    const audit = (await readFile(path.join(registryDir, 'fraud', 'promotions.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { action: string; from: string | null; to: string; by: unknown });
    expect(audit.map((entry) => [entry.action, entry.from, entry.to])).toEqual([
      ['publish', null, '1'],
      ['promote', '1', '2'],
      ['promote', '2', '1'],
      ['rollback', '1', '2'],
    ]);
    expect(audit[3]?.by).toEqual({ key_id: keyId, tenant: 'e2e' });
  });

  it('answers typed errors: unknown model or version, a bad body, no earlier version', async () => {
    const unknownModel = await post('/v1/models/churn/promote', { version: '1' });
    expect([unknownModel.status, errorCode(unknownModel)]).toEqual([404, 'MODEL_NOT_FOUND']);
    const badName = await post('/v1/models/..%2Fetc/rollback');
    expect([badName.status, errorCode(badName)]).toEqual([404, 'MODEL_NOT_FOUND']);
    const unknownVersion = await post('/v1/models/fraud/promote', { version: '42' });
    expect([unknownVersion.status, errorCode(unknownVersion)]).toEqual([404, 'MODEL_VERSION_NOT_FOUND']);
    for (const body of [{}, { version: 'latest' }, { version: '1', force: true }]) {
      const bad = await post('/v1/models/fraud/promote', body);
      expect([bad.status, errorCode(bad)]).toEqual([422, 'VALIDATION_FAILED']);
    }
    // The promotion is 2 with [1] before it: one rollback works, the next has nowhere to go.
    expect((await post('/v1/models/fraud/rollback')).status).toBe(200);
    const none = await post('/v1/models/fraud/rollback');
    expect([none.status, errorCode(none)]).toEqual([404, 'MODEL_VERSION_NOT_FOUND']);
  });

  it('refuses keys without the platform scope', async () => {
    const replies = [
      await jobsOnly.request('/v1/models'),
      await post('/v1/models/fraud/promote', { version: '1' }, jobsOnly),
      await post('/v1/models/fraud/rollback', undefined, jobsOnly),
    ];
    expect(replies.map((reply) => [reply.status, errorCode(reply)])).toEqual(
      Array(3).fill([403, 'FORBIDDEN']),
    );
  });

  it('answers MODEL_REGISTRY_UNAVAILABLE once no predictive worker is live', async () => {
    await stack.workers[0]?.close();
    const reply = await stack.client.request('/v1/models');
    expect([reply.status, errorCode(reply)]).toEqual([503, 'MODEL_REGISTRY_UNAVAILABLE']);
  });
});
