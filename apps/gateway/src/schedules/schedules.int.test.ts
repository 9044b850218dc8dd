import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGatewayHarness } from '../testing/gateway-harness.js';
import { until } from '../testing/until.js';

// Two gateway replicas on one Redis and schema, both working the schedules queue, and the runtime's test
// worker: real BullMQ job schedulers, real jobs. Each case has a tenant of its own, so its jobs are its own.
let harness: GatewayHarness;
const keys: Record<string, string> = {};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = { status: number; body: any };
const call = async (method: string, route: string, key: string, body?: unknown): Promise<Reply> => {
  const response = await fetch(`${harness.gateways[1]?.url ?? ''}${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: response.status === 204 ? null : await response.json() };
};
const jobsOf = async (key: string) =>
  (
    (await call('GET', '/v1/jobs?type=test.sleep&limit=100', key)).body.data as {
      id: string;
      created_at: string;
    }[]
  )
    .map((job) => ({ ...job, at: Date.parse(job.created_at) }))
    .sort((a, b) => a.at - b.at);
/** `POST /v1/blobs`: the tenant's upload, answered as its blob reference. */
const uploadBlob = async (key: string, bytes: Buffer, filename: string): Promise<Reply> => {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)]), filename);
  const response = await fetch(`${harness.gateways[0]?.url ?? ''}/v1/blobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  return { status: response.status, body: await response.json() };
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const target = { type: 'test.sleep', input: { ms: 1 } };

beforeAll(async () => {
  harness = await startGatewayHarness({
    name: 'sched',
    replicas: 2,
    env: { SCHEDULE_MISFIRE_GRACE_S: '1', TENANT_MAX_SCHEDULES: '5' },
    worker: { heartbeatMs: 300 },
  });
  for (const tenant of ['ticks', 'once', 'skip', 'other', 'pipeline', 'blobs', 'capped']) {
    keys[tenant] = await harness.key({ tenant, name: 'test', scopes: ['jobs'] });
  }
}, 60_000);

afterAll(() => harness?.close());

describe('schedules (two gateways, real BullMQ job schedulers)', () => {
  it('runs a job once per tick, whichever replica takes it; pause stops it, resume and delete work', async () => {
    const key = keys['ticks'] as string;
    const created = await call('POST', '/v1/schedules', key, { name: 'every second', every: 1, target });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      every: 1,
      cron: null,
      timezone: 'UTC',
      misfire: 'run_once',
      paused: false,
    });
    const id = created.body.id as string;
    await sleep(3_300);
    const paused = await call('POST', `/v1/schedules/${id}/pause`, key);
    expect(paused.body).toMatchObject({ paused: true, next_run_at: null });
    await sleep(500);
    const jobs = await until(
      () => jobsOf(key),
      (list) => list.length >= 3,
    );
    // Ticks at about 0, 1, 2 and 3 s: one job each, never two for one tick.
    expect(jobs.length).toBeGreaterThanOrEqual(3);
    expect(jobs.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < jobs.length; i += 1) {
      expect((jobs[i]?.at ?? 0) - (jobs[i - 1]?.at ?? 0)).toBeGreaterThan(600);
    }
    const got = await call('GET', `/v1/schedules/${id}`, key);
    expect(jobs.map((job) => job.id)).toContain(got.body.last_job_id);
    await sleep(1_500);
    expect((await jobsOf(key)).length).toBe(jobs.length);

    const resumed = await call('POST', `/v1/schedules/${id}/resume`, key);
    expect(resumed.body.paused).toBe(false);
    expect(Date.parse(resumed.body.next_run_at as string)).toBeGreaterThan(Date.now() - 1_000);
    expect((await call('GET', '/v1/schedules', key)).body.data.map((s: { id: string }) => s.id)).toEqual([
      id,
    ]);
    expect((await call('GET', `/v1/schedules/${id}`, keys['other'] as string)).status).toBe(404);
    expect((await call('DELETE', `/v1/schedules/${id}`, key)).status).toBe(204);
    expect((await call('GET', `/v1/schedules/${id}`, key)).body.error.code).toBe('SCHEDULE_NOT_FOUND');
  }, 30_000);

  it('runs a tick missed while nothing ran once (run_once), or skips it (skip)', async () => {
    // Downtime, as the schedulers see it: no gateway takes ticks from the schedules queue.
    const queue = new Queue('schedules', { connection: harness.redis, prefix: `${harness.prefix}:bull` });
    await queue.pause();
    const once = await call('POST', '/v1/schedules', keys['once'] as string, { every: 60, target });
    const skip = await call('POST', '/v1/schedules', keys['skip'] as string, {
      every: 60,
      misfire: 'skip',
      target,
    });
    expect([once.status, skip.status]).toEqual([201, 201]);
    await sleep(2_500);
    await queue.resume();
    await queue.close();
    await until(
      async () => (await call('GET', `/v1/schedules/${skip.body.id as string}`, keys['skip'] as string)).body,
      (schedule) => schedule.skipped_ticks === 1,
    );
    const ran = await until(
      () => jobsOf(keys['once'] as string),
      (list) => list.length > 0,
    );
    expect(ran).toHaveLength(1);
    await sleep(500);
    expect(await jobsOf(keys['skip'] as string)).toEqual([]);
    expect(await jobsOf(keys['once'] as string)).toHaveLength(1);
  }, 30_000);

  it('runs a pipeline (here an ad-hoc definition) per tick, as POST /v1/pipelines would', async () => {
    const key = keys['pipeline'] as string;
    const created = await call('POST', '/v1/schedules', key, {
      every: 60,
      target: {
        pipeline: {
          steps: [
            { id: 'a', type: 'test.sleep', input: { ms: '$input.ms' } },
            { id: 'b', type: 'test.sleep', input: { ms: '$steps.a.output.slept_ms' } },
          ],
          output: { slept: '$steps.b.output.slept_ms' },
        },
        input: { ms: 3 },
        priority: 2,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    // An interval's first tick is due at once.
    const ticked = await until(
      async () => (await call('GET', `/v1/schedules/${id}`, key)).body,
      (schedule) => typeof schedule.last_job_id === 'string',
    );
    const run = await until(
      async () => (await call('GET', `/v1/pipeline-runs/${ticked.last_job_id as string}`, key)).body,
      (body) => body.status === 'succeeded',
    );
    expect(run).toMatchObject({ output: { slept: 3 }, steps: [{ id: 'a' }, { id: 'b' }] });
    expect((await call('DELETE', `/v1/schedules/${id}`, key)).status).toBe(204);
  }, 30_000);

  it('runs a job on a blob uploaded once, named by id; refuses blobs the tenant does not own or the job cannot read', async () => {
    const key = keys['blobs'] as string;
    const text = Buffer.from('label,amount\n1,20\n');
    const mine = await uploadBlob(key, text, 'data.csv');
    expect(mine.status).toBe(201);
    expect(mine.body).toMatchObject({ media_type: 'text/plain', size: text.length, filename: 'data.csv' });
    const theirs = (await uploadBlob(keys['other'] as string, text, 'theirs.csv')).body;
    const pdf = (await uploadBlob(key, Buffer.from('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n'), 'a.pdf')).body;
    const checksum = (file: unknown) => ({ every: 60, target: { type: 'test.checksum', input: { file } } });

    const refusals: [unknown, number, string][] = [
      [checksum({ blob_id: theirs.blob_id }), 404, 'BLOB_NOT_FOUND'],
      // A forged reference: the type and size it claims are not what the gateway goes by.
      [checksum({ ...theirs, media_type: 'text/plain' }), 404, 'BLOB_NOT_FOUND'],
      [checksum({ blob_id: 'blob_00000000-0000-0000-0000-000000000000' }), 404, 'BLOB_NOT_FOUND'],
      [checksum({ blob_id: '../other/' + String(theirs.blob_id) }), 404, 'BLOB_NOT_FOUND'],
      [checksum({ blob_id: pdf.blob_id }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [checksum({ blob_id: 7 }), 422, 'VALIDATION_FAILED'],
      [
        {
          every: 60,
          target: {
            pipeline: { steps: [{ id: 'a', type: 'test.checksum', input: { file: '$input.file' } }] },
            input: { file: { blob_id: theirs.blob_id } },
          },
        },
        404,
        'BLOB_NOT_FOUND',
      ],
      // A pipeline whose first step cannot read the file: every tick's run would fail at once.
      [
        {
          every: 60,
          target: {
            pipeline: { steps: [{ id: 'a', type: 'test.checksum', input: { file: '$input.file' } }] },
            input: { file: { blob_id: pdf.blob_id } },
          },
        },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
    ];
    for (const [body, status, code] of refusals) {
      const refused = await call('POST', '/v1/schedules', key, body);
      expect([refused.status, refused.body.error.code], JSON.stringify(body)).toEqual([status, code]);
      const path = (refused.body.error.details.path ??
        refused.body.error.details.issues[0].path) as unknown[];
      expect(path.slice(0, 3)).toEqual(['target', 'input', 'file']);
    }
    expect((await call('GET', '/v1/schedules', key)).body.data).toEqual([]);

    const created = await call('POST', '/v1/schedules', key, checksum({ blob_id: mine.body.blob_id }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // Stored as the full reference, which is what each tick's job is given.
    const { declared_type: _declared, created_at: _created, ...reference } = mine.body;
    expect(created.body.target.input.file).toEqual(reference);
    const ticked = await until(
      async () => (await call('GET', `/v1/schedules/${created.body.id as string}`, key)).body,
      (schedule) => typeof schedule.last_job_id === 'string',
    );
    const job = await until(
      async () => (await call('GET', `/v1/jobs/${ticked.last_job_id as string}`, key)).body,
      (body) => body.status === 'succeeded',
    );
    expect(job.input.file).toEqual(reference);
    expect(job.output).toEqual({ sha256: mine.body.sha256, size: text.length });
    expect((await call('DELETE', `/v1/schedules/${created.body.id as string}`, key)).status).toBe(204);
  }, 30_000);

  it('refuses a bad schedule with the path of each problem', async () => {
    const key = keys['other'] as string;
    const cases: [unknown, (string | number)[]][] = [
      [{ cron: 'not a cron', target }, ['cron']],
      [{ cron: '0 9 * * *', every: 5, target }, ['cron']],
      [{ cron: '0 9 * * *', timezone: 'Mars/Olympus', target }, ['timezone']],
      [{ every: 0, target }, ['every']],
      [{ every: 5, target: { type: 'test.sleep', input: { ms: 'x' } } }, ['target', 'input', 'ms']],
      [
        {
          every: 5,
          target: {
            pipeline: { steps: [{ id: 'a', type: 'test.sleep', input: { ms: '$steps.nope.output.ms' } }] },
            input: {},
          },
        },
        ['target', 'pipeline', 'steps', 0, 'input', 'ms'],
      ],
    ];
    for (const [body, path] of cases) {
      const refused = await call('POST', '/v1/schedules', key, body);
      expect(refused.status, JSON.stringify(body)).toBe(422);
      expect(refused.body.error.details.issues[0].path).toEqual(path);
    }
    const misfit = await call('POST', '/v1/schedules', key, {
      every: 5,
      target: {
        pipeline: { steps: [{ id: 'a', type: 'test.sleep', input: { ms: '$input.ms' } }] },
        input: { ms: 'x' },
      },
    });
    expect([misfit.status, misfit.body.error.code]).toEqual([422, 'PIPELINE_STEP_INPUT_INVALID']);
    expect(misfit.body.error.details).toMatchObject({ step: 'a', issues: [{ path: ['ms'] }] });
    const unknown = await call('POST', '/v1/schedules', key, {
      every: 5,
      target: { type: 'no.such', input: {} },
    });
    expect(unknown.body.error.code).toBe('UNKNOWN_JOB_TYPE');
    const noPipeline = await call('POST', '/v1/schedules', key, {
      every: 5,
      target: { pipeline: 'no-such-pipeline', input: {} },
    });
    expect(noPipeline.body.error.code).toBe('PIPELINE_NOT_FOUND');
    const hook = await call('POST', '/v1/schedules', key, {
      every: 5,
      target: { ...target, webhook: { url: 'http://169.254.169.254/' } },
    });
    expect(hook.body.error.details.issues[0].path).toEqual(['target', 'webhook', 'url']);
  });

  it('refuses a schedule past TENANT_MAX_SCHEDULES with 429 QUOTA_EXCEEDED, and lists every one it has', async () => {
    const key = keys['capped'] as string;
    const hourly = { every: 3_600, target };
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const created = await call('POST', '/v1/schedules', key, hourly);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      made.push(created.body.id as string);
    }
    const refused = await call('POST', '/v1/schedules', key, hourly);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      details: { limit: 'schedules', value: 5, setting: 'TENANT_MAX_SCHEDULES' },
    });
    // Another tenant's limit is its own.
    expect((await call('POST', '/v1/schedules', keys['other'] as string, hourly)).status).toBe(201);
    const listed = await call('GET', '/v1/schedules', key);
    expect((listed.body.data as { id: string }[]).map((s) => s.id).sort()).toEqual([...made].sort());
    // Deleting one makes room for one.
    expect((await call('DELETE', `/v1/schedules/${made[0]}`, key)).status).toBe(204);
    expect((await call('POST', '/v1/schedules', key, hourly)).status).toBe(201);
  });
});
