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
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const target = { type: 'test.sleep', input: { ms: 1 } };

beforeAll(async () => {
  harness = await startGatewayHarness({
    name: 'sched',
    replicas: 2,
    env: { SCHEDULE_MISFIRE_GRACE_S: '1' },
    worker: { heartbeatMs: 300 },
  });
  for (const tenant of ['ticks', 'once', 'skip', 'other', 'pipeline']) {
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
});
