import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../start-gateway.js';
import { type GatewayHarness, startGatewayHarness } from '../testing/gateway-harness.js';
import { until } from '../testing/until.js';

// Real Redis, PostgreSQL (own schema), BullMQ flows, the runtime's test worker with its engine
// processes, and the gateway's own pipeline orchestrator: nothing is faked.
let harness: GatewayHarness;
let key = '';
let base = '';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = Omit<Response, 'json'> & { json(): Promise<any> };
const call = (route: string, init: RequestInit = {}, apiKey = key) =>
  fetch(`${base}${route}`, {
    ...init,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
  }) as Promise<Reply>;
const post = (route: string, body: unknown, apiKey = key) =>
  call(route, { method: 'POST', body: JSON.stringify(body) }, apiKey);
const run = async (id: string) => (await call(`/v1/pipeline-runs/${id}`)).json();
const ended = (status: string) => !['queued', 'running', 'retrying'].includes(status);
const finished = (id: string, timeoutMs = 15_000) =>
  until(
    () => run(id),
    (value) => ended(value.status),
    timeoutMs,
  );

beforeAll(async () => {
  harness = await startGatewayHarness({ name: 'pipelines', worker: { concurrency: 4, heartbeatMs: 300 } });
  base = harness.gateway.url;
  key = await harness.key({ tenant: 'acme', name: 'test', scopes: ['jobs'] });
  // The test job types are announced by the worker; wait until the gateway knows them.
  await until(
    async () => (await (await call('/v1/job-types')).json()) as { data: { type: string }[] },
    (body) => body.data.some((entry) => entry.type === 'test.sleep'),
  );
}, 120_000);

afterAll(() => harness?.close());

describe('pipelines over HTTP', () => {
  it('runs a DAG: parallel steps, a fan-out over a list and a fan-in, with the mapped outputs', async () => {
    const reply = await post('/v1/pipelines', {
      input: { first: 40, delays: [10, 20, 30] },
      pipeline: {
        steps: [
          { id: 'a', type: 'test.sleep', input: { ms: '$input.first' } },
          { id: 'b', type: 'test.sleep', input: { ms: '$steps.a.output.slept_ms' } },
          { id: 'fan', type: 'test.sleep', for_each: '$input.delays', input: { ms: '$item' } },
          { id: 'join', type: 'test.sleep', input: { ms: '$steps.fan.output[2].slept_ms' } },
        ],
        output: {
          b: '$steps.b.output.slept_ms',
          fan: '$steps.fan.output[*].slept_ms',
          join: '$steps.join.output.slept_ms',
        },
      },
    });
    const accepted = await reply.json();
    expect(reply.status, JSON.stringify(accepted)).toBe(202);
    expect(accepted.urls.get).toBe(`/v1/pipeline-runs/${accepted.id}`);
    const done = await finished(accepted.id);
    expect(done.status).toBe('succeeded');
    expect(done.output).toEqual({ b: 40, fan: [10, 20, 30], join: 30 });
    // Reported as progress before the run ended (SSE, the SDK's onProgress), not left at 3 of 4.
    expect(done.progress).toEqual({ pct: 100, message: '4/4 steps done' });
    expect(done.steps.map((step: { id: string; status: string }) => [step.id, step.status])).toEqual([
      ['a', 'succeeded'],
      ['b', 'succeeded'],
      ['fan', 'succeeded'],
      ['join', 'succeeded'],
    ]);
    expect(done.steps[2].jobs).toHaveLength(3);
    // The run is a job too: listed and readable like one.
    const asJob = await (await call(`/v1/jobs/${accepted.id}`)).json();
    expect(asJob).toMatchObject({ type: 'pipeline', status: 'succeeded' });
  });

  it('refuses an invalid pipeline with 422 and the path of each problem', async () => {
    const reply = await post('/v1/pipelines', {
      input: {},
      pipeline: {
        steps: [
          { id: 'a', type: 'test.sleep', input: { ms: '$steps.c.output.pid' } },
          { id: 'b', type: 'test.sleep', input: { ms: '$steps.a.output.nope', extra: 1 } },
          { id: 'c', type: 'test.sleep', input: { ms: '$steps.a.output.slept_ms' } },
          { id: 'd', type: 'test.sleep', input: { ms: '$steps.sum.output.pid' } },
          { id: 'e', type: 'test.sleep', input: {} },
        ],
      },
    });
    expect(reply.status).toBe(422);
    const body = await reply.json();
    expect(body.error.code).toBe('PIPELINE_INVALID');
    const paths = body.error.details.issues.map((issue: { path: unknown[] }) => issue.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'pipeline.steps.1.input.ms',
        'pipeline.steps.3.input.ms',
        'pipeline.steps.4.input',
        'pipeline.steps',
      ]),
    );
    expect(JSON.stringify(body.error.details.issues)).toContain('cycle');
  });

  it('refuses a type mismatch between an output and an input, and a bad shape', async () => {
    const mismatch = await post('/v1/pipelines', {
      input: {},
      pipeline: {
        steps: [
          { id: 'a', type: 'test.checksum', input: { file: '$input.file' } },
          { id: 'b', type: 'test.sleep', input: { ms: '$steps.a.output.sha256' } },
        ],
      },
    });
    expect(mismatch.status).toBe(422);
    const issues = (await mismatch.json()).error.details.issues;
    expect(issues).toEqual([
      expect.objectContaining({ path: ['pipeline', 'steps', 1, 'input', 'ms'], code: 'type_mismatch' }),
    ]);
    const shape = await post('/v1/pipelines', { input: {}, pipeline: { steps: [] } });
    expect(shape.status).toBe(422);
    expect((await shape.json()).error.details.issues[0].path).toEqual(['pipeline', 'steps']);
  });

  // A missing step type (PIPELINE_STEP_TYPE_MISSING) is check-pipeline.test.ts's: both of
  // document-summary's types are built in now.
  it('takes document-summary by name, refusing a file the tenant does not have, and an unknown name', async () => {
    const reply = await post('/v1/pipelines/document-summary', { input: { file: { blob_id: 'x' } } });
    expect(reply.status).toBe(404);
    const body = await reply.json();
    expect(body.error).toMatchObject({ code: 'BLOB_NOT_FOUND', details: { field: 'file' } });
    expect((await post('/v1/pipelines/nope', { input: {} })).status).toBe(404);
    // A version that is no number is a bad request, not an unknown "version NaN".
    for (const version of ['abc', '0', '1.5', '-1', '', '1&version=2']) {
      const refused = await post(`/v1/pipelines/document-summary?version=${version}`, { input: {} });
      expect(refused.status, version).toBe(422);
      expect((await refused.json()).error).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { issues: [{ path: ['version'] }] },
      });
    }
    expect((await post('/v1/pipelines/document-summary?version=99', { input: {} })).status).toBe(404);
  });

  it('refuses at the request a run whose first step could not take its input, and creates nothing', async () => {
    // A tenant of its own, so its list of runs holds only what this test makes.
    const own = await harness.key({ tenant: 'refusals', name: 'test', scopes: ['jobs'] });
    const upload = (route: string, bytes: Uint8Array, filename: string) => {
      const form = new FormData();
      form.append('file', new Blob([bytes]), filename);
      return fetch(`${base}${route}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${own}` },
        body: form,
      }) as Promise<Reply>;
    };
    // An empty upload, named as a PDF, to the flagship flow: its OCR step reads PDFs and images only.
    const empty = await upload('/v1/pipelines/document-summary', new Uint8Array(), 'scan.pdf');
    expect(empty.status).toBe(415);
    expect((await empty.json()).error).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      details: { step: 'ocr', media_type: 'application/x-empty', path: ['input', 'file'] },
    });

    // A stored blob of a type the step does not read, mapped from the run's input by an ad-hoc definition.
    const gzip = await (
      await upload('/v1/blobs', new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), 'a.gz')
    ).json();
    const wrongType = await post(
      '/v1/pipelines',
      {
        input: { upload: { blob_id: gzip.blob_id } },
        pipeline: { steps: [{ id: 'sum', type: 'test.checksum', input: { file: '$input.upload' } }] },
      },
      own,
    );
    expect(wrongType.status).toBe(415);
    expect((await wrongType.json()).error.details).toMatchObject({ step: 'sum', path: ['input', 'upload'] });

    // A value of the wrong type, and a fan-out over something that is not a list.
    const misfit = await post(
      '/v1/pipelines',
      {
        input: { ms: 'soon' },
        pipeline: { steps: [{ id: 'wait', type: 'test.sleep', input: { ms: '$input.ms' } }] },
      },
      own,
    );
    expect(misfit.status).toBe(422);
    expect((await misfit.json()).error).toMatchObject({
      code: 'PIPELINE_STEP_INPUT_INVALID',
      details: { step: 'wait', issues: [expect.objectContaining({ path: ['ms'] })] },
    });
    const notAList = await post(
      '/v1/pipelines',
      {
        input: { delays: 5 },
        pipeline: {
          steps: [{ id: 'fan', type: 'test.sleep', for_each: '$input.delays', input: { ms: '$item' } }],
        },
      },
      own,
    );
    expect(notAList.status).toBe(422);
    expect((await notAList.json()).error).toMatchObject({
      code: 'PIPELINE_STEP_INPUT_INVALID',
      details: { step: 'fan' },
    });

    expect((await (await call('/v1/jobs?type=pipeline', {}, own)).json()).data).toEqual([]);
    // The refused upload was deleted with its request: the tenant keeps only the blob it stored itself.
    const files = await readdir(path.join(harness.blobDir, 'refusals'));
    expect(files.filter((name) => !name.endsWith('.json'))).toEqual([gzip.blob_id]);
  });

  it('shows the step a run failed on before its job existed as failed, and the steps after it skipped', async () => {
    // `after`'s input is built once `first` has succeeded, so only then is `$input.ms` found not to fit.
    const accepted = await post('/v1/pipelines', {
      input: { ms: 'soon' },
      pipeline: {
        steps: [
          { id: 'first', type: 'test.sleep', input: { ms: 5 } },
          {
            id: 'after',
            type: 'test.sleep',
            input: { ms: '$input.ms', burst: ['$steps.first.output.slept_ms'] },
          },
          { id: 'last', type: 'test.sleep', input: { ms: '$steps.after.output.slept_ms' } },
        ],
      },
    });
    expect(accepted.status).toBe(202);
    const failed = await finished((await accepted.json()).id);
    expect(failed.error).toMatchObject({ code: 'PIPELINE_STEP_INPUT_INVALID', details: { step: 'after' } });
    expect(failed.error.details).not.toHaveProperty('job_id');
    expect(failed.steps.map((step: { status: string }) => step.status)).toEqual([
      'succeeded',
      'failed',
      'skipped',
    ]);
    expect(failed.steps[1]).toMatchObject({ jobs: [], error: failed.error });
  });

  it('fails the run with the failed step’s error, or goes on without it where the step says so', async () => {
    const failing = await (
      await post('/v1/pipelines', {
        input: {},
        pipeline: {
          steps: [
            { id: 'bad', type: 'test.flaky', input: { code: 'VALIDATION_FAILED' } },
            { id: 'after', type: 'test.sleep', input: { ms: '$steps.bad.output.attempt' } },
          ],
        },
      })
    ).json();
    const failed = await finished(failing.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: expect.objectContaining({ step: 'bad' }),
    });
    expect(failed.steps[1].status).toBe('skipped');

    const going = await (
      await post('/v1/pipelines', {
        input: {},
        pipeline: {
          steps: [
            {
              id: 'bad',
              type: 'test.flaky',
              input: { code: 'HANDLER_FAILED' },
              on_failure: 'continue',
              retry: { attempts: 1 },
            },
            { id: 'after', type: 'test.sleep', input: { ms: '$steps.bad.output.attempt' } },
            {
              id: 'other',
              type: 'test.flaky',
              input: { code: 'HANDLER_FAILED' },
              retry: { attempts: 2, backoff_ms: 10 },
            },
          ],
        },
      })
    ).json();
    const done = await finished(going.id);
    expect(done.status).toBe('succeeded');
    expect(done.steps.map((step: { status: string }) => step.status)).toEqual([
      'failed',
      'skipped',
      'succeeded',
    ]);
    expect(done.steps[0].error.code).toBe('HANDLER_FAILED');
    expect(done.steps[2].output).toEqual({ attempt: 2 });
  });

  it('cancels a running pipeline: its running step’s engine is killed, the queued ones never start', async () => {
    const pidsBefore = harness.worker.enginePids();
    const started = await (
      await post('/v1/pipelines', {
        input: {},
        pipeline: {
          steps: [
            { id: 'spin', type: 'test.spin', input: { ms: 20_000 }, timeout_ms: 30_000 },
            { id: 'idle', type: 'test.sleep', input: { ms: 20_000 } },
            { id: 'next', type: 'test.sleep', input: { ms: '$steps.idle.output.slept_ms' } },
          ],
        },
      })
    ).json();
    await until(
      () => run(started.id),
      (value) => value.steps[0].status === 'running',
    );
    const reply = await post(`/v1/pipeline-runs/${started.id}/cancel`, {});
    expect(reply.status).toBe(202);
    const canceled = await until(
      () => run(started.id),
      (value) => value.steps[0].status === 'canceled' && value.steps[1].status === 'canceled',
    );
    expect(canceled.status).toBe('canceled');
    expect(canceled.steps[2].status).toBe('skipped');
    // The spinning engine only stops when killed: a new engine process takes its place.
    await until(
      async () => harness.worker.enginePids(),
      (pids) => pids.some((pid) => !pidsBefore.includes(pid)),
    );
    expect((await post(`/v1/pipeline-runs/${started.id}/cancel`, {})).status).toBe(409);
  });

  it('completes a run whose gateway stopped mid-run, on a gateway started after it', async () => {
    const started = await (
      await post('/v1/pipelines', {
        input: {},
        pipeline: {
          steps: [
            { id: 'a', type: 'test.sleep', input: { ms: 600 } },
            { id: 'b', type: 'test.sleep', input: { ms: '$steps.a.output.slept_ms' } },
          ],
        },
      })
    ).json();
    // The engine killed by the cancel above may still be starting again on a crowded machine.
    await until(
      () => run(started.id),
      (value) => value.steps[0].status === 'running',
      30_000,
    );
    await harness.gateway.close();
    const replacement = await startGateway(harness.env);
    base = replacement.url;
    try {
      const done = await finished(started.id);
      expect(done.status).toBe('succeeded');
      expect(done.steps[1].jobs).toHaveLength(1);
      expect(done.output).toEqual({ slept_ms: 600, pid: expect.any(Number) });
    } finally {
      await replacement.close();
    }
  }, 60_000);
});
