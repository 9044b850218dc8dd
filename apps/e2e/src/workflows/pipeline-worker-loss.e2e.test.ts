import type { PipelineRunObject } from '@gantry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayClient } from '../harness/gateway-client.js';
import { Platform } from '../harness/platform.js';
import { waitUntil } from '../harness/wait-until.js';
import type { WorkerProcess } from '../harness/worker-process.js';

// Real processes: the built gateway (with its pipeline orchestrator) and two test workers, shared Redis
// and Postgres under this file's prefix and schema. The worker running a pipeline's step is SIGKILLed;
// its lock lapses (2 s) and the other worker runs the step again.
const platform = await Platform.start({ label: 'pipeline-worker-loss' });
let api: GatewayClient;
let workers: WorkerProcess[] = [];

platform.printLogsOnFailure();

beforeAll(async () => {
  const ready = { readyTimeoutMs: 90_000 };
  workers = await Promise.all([platform.startWorker('test', ready), platform.startWorker('test', ready)]);
  const [gateway, key] = await Promise.all([platform.startGateway(), platform.createApiKey()]);
  api = platform.client(gateway, key);
  await api.waitForJobType('test.sleep-retried');
}, 150_000);

afterAll(() => platform.cleanup(), 60_000);

const run = async (id: string) =>
  (await (await api.fetch(`/v1/pipeline-runs/${id}`)).json()) as PipelineRunObject;

describe('a worker killed mid-pipeline', () => {
  it('the run still completes, each step recorded once', async () => {
    const reply = await api.fetch('/v1/pipelines', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        input: { ms: 2_500 },
        pipeline: {
          steps: [
            { id: 'first', type: 'test.sleep-retried', input: { ms: '$input.ms' } },
            { id: 'last', type: 'test.sleep', input: { ms: '$steps.first.output.slept_ms' } },
          ],
          output: { slept: '$steps.last.output.slept_ms' },
        },
      }),
    });
    expect(reply.status).toBe(202);
    const { id } = (await reply.json()) as PipelineRunObject;
    const running = await waitUntil(
      () => run(id),
      (value) => value.steps[0]?.status === 'running',
      { what: 'the first step to run', timeoutMs: 10_000 },
    );
    const stepJob = await api.job(running.steps[0]?.jobs[0]?.id ?? '');
    const announced = (await api.workers()).find((worker) => worker.id === stepJob.worker);
    const victim = workers.find((worker) => worker.pid === announced?.pid);
    if (!victim) throw new Error(`step job runs on ${stepJob.worker}, not on a worker of this file`);
    await victim.kill();

    const done = await waitUntil(
      () => run(id),
      (value) => value.status === 'succeeded',
      {
        what: 'the run to succeed',
        timeoutMs: 30_000,
      },
    );
    expect(done.output).toEqual({ slept: 2_500 });
    expect(done.steps.map((step) => step.jobs.length)).toEqual([1, 1]);
    const first = await api.job(done.steps[0]?.jobs[0]?.id ?? '');
    expect(first.attempt).toBe(2);
    // Each step's job was created once: the run's looks after the kill found the first step's job.
    const rows = await waitUntil(
      () => platform.query<{ id: string }>(`SELECT id FROM jobs WHERE id LIKE $1`, [`${id}.%`]),
      (found) => found.length === 2,
      { what: 'both step jobs recorded', timeoutMs: 10_000 },
    );
    expect(rows.map((row) => row.id).sort()).toEqual([`${id}.first`, `${id}.last`]);
  }, 60_000);
});
