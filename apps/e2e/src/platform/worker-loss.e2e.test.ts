import type { JobObject } from '@gantry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayClient } from '../harness/gateway-client.js';
import { isAlive } from '../harness/managed-process.js';
import { Platform } from '../harness/platform.js';
import { waitUntil } from '../harness/wait-until.js';
import type { WorkerProcess } from '../harness/worker-process.js';

// Real processes from build output (gateway) and sources (test worker), shared Redis and Postgres
// under this file's prefix and schema. Locks live 2 s, so a SIGKILLed worker's job is free again
// within about 3 s; heartbeats every 500 ms expire after 1.5 s.
const platform = await Platform.start({ label: 'worker-loss' });
let api: GatewayClient;
let workers: WorkerProcess[] = [];
let replacement: Promise<WorkerProcess> | null = null;

platform.printLogsOnFailure();

beforeAll(async () => {
  workers = await Promise.all([platform.startWorker('test'), platform.startWorker('test')]);
  const [gateway, key] = await Promise.all([platform.startGateway(), platform.createApiKey()]);
  api = platform.client(gateway, key);
  await api.waitForJobType('test.sleep-retried');
}, 90_000);

afterAll(() => platform.cleanup(), 60_000);

/** Waits until the job runs, then names the worker process running it and the one that is not. */
async function whoRuns(
  jobId: string,
): Promise<{ victim: WorkerProcess; survivor: WorkerProcess; job: JobObject }> {
  const job = await api.waitForJob(jobId, (j) => j.status === 'running');
  const announced = (await api.workers()).find((w) => w.id === job.worker);
  const victim = workers.find((w) => w.pid === announced?.pid);
  const survivor = workers.find((w) => w !== victim && w.process.running);
  if (!victim || !survivor)
    throw new Error(`job ${jobId} runs on ${job.worker}, not on a worker of this file`);
  return { victim, survivor, job };
}

async function loseWorker(victim: WorkerProcess): Promise<{ killedAt: number; enginePids: number[] }> {
  const enginePids = victim.process.childPids();
  expect(enginePids.length).toBeGreaterThan(0);
  const killedAt = Date.now();
  await victim.kill();
  workers = workers.filter((w) => w !== victim);
  return { killedAt, enginePids };
}

describe('losing a worker (SIGKILL)', () => {
  it('another worker completes its job, which is recorded once with the retry counted', async () => {
    const accepted = await api.accept('test.sleep-retried', { ms: 3_000 });
    const { victim, survivor, job: first } = await whoRuns(accepted.id);
    expect(first.attempt).toBe(1);
    const survivorId = (await api.worker(survivor.pid)).id;
    const { killedAt, enginePids } = await loseWorker(victim);

    const done = await api.waitForJob(accepted.id, (j) => j.status === 'succeeded', 20_000);
    // The next test needs two workers again. This one boots only now: started sooner, it could take
    // the job itself (a new worker checks for stalled jobs as it starts).
    replacement = platform.startWorker('test');
    expect(done).toMatchObject({ attempt: 2, worker: survivorId, output: { slept_ms: 3_000 }, error: null });
    // The lock (2 s) had to expire first: a job picked up sooner would have run twice at once.
    expect(Date.now() - killedAt).toBeGreaterThan(2_000);
    // Its heartbeats expire sooner than its lock, so it is gone from the registry by now.
    expect((await api.workers()).map((w) => w.id)).not.toContain(first.worker);

    // The engine process of the dead worker noticed and exited: no orphan holds a slot or a CPU.
    await waitUntil(
      async () => enginePids.filter(isAlive),
      (alive) => alive.length === 0,
      {
        what: 'the engine processes of the killed worker to exit',
        timeoutMs: 5_000,
      },
    );

    const rows = await waitUntil(
      () =>
        platform.query<{ status: string; attempt: number; worker: string }>(
          'SELECT status, attempt, worker FROM jobs WHERE id = $1',
          [accepted.id],
        ),
      (r) => r[0]?.status === 'succeeded',
      { what: 'the succeeded row in Postgres' },
    );
    expect(rows).toEqual([{ status: 'succeeded', attempt: 2, worker: survivorId }]);
    const runs = await platform.query<{ data: { attempt: number; worker: string } }>(
      "SELECT data FROM job_events WHERE job_id = $1 AND status = 'running' ORDER BY seq",
      [accepted.id],
    );
    expect(runs.map((r) => r.data)).toEqual([
      { attempt: 1, worker: first.worker },
      { attempt: 2, worker: survivorId },
    ]);
    const listed = (await api.list('type=test.sleep-retried')).filter((j) => j.id === accepted.id);
    expect(listed).toMatchObject([{ status: 'succeeded', attempt: 2 }]);
  });

  it('fails the job with WORKER_LOST when the lost attempt was its last', async () => {
    if (replacement) workers.push(await replacement);
    const accepted = await api.accept('test.sleep', { ms: 5_000 });
    const { victim } = await whoRuns(accepted.id);
    await loseWorker(victim);

    const failed = await api.waitForJob(
      accepted.id,
      (j) => j.status !== 'running' && j.status !== 'queued',
      20_000,
    );
    expect(failed).toMatchObject({ status: 'failed', output: null, error: { code: 'WORKER_LOST' } });
    const rows = await waitUntil(
      () =>
        platform.query<{ status: string; error: { code: string } | null }>(
          'SELECT status, error FROM jobs WHERE id = $1',
          [accepted.id],
        ),
      (r) => r[0]?.status === 'failed',
      { what: 'the failed row in Postgres' },
    );
    expect(rows).toMatchObject([{ status: 'failed', error: { code: 'WORKER_LOST' } }]);
  });

  it('drops a dead worker from GET /v1/workers within 10 s; its engine stops even in a CPU loop', async () => {
    const [victim] = workers;
    if (!victim) throw new Error('no worker left');
    const { id } = await api.worker(victim.pid, 'ready');
    // A loop that never yields: the engine process cannot hear its parent go away the usual way.
    const spinning = await api.accept('test.spin', { ms: 30_000 });
    await api.waitForJob(spinning.id, (j) => j.status === 'running');
    const { killedAt, enginePids } = await loseWorker(victim);

    await waitUntil(
      () => api.workers(),
      (list) => !list.some((w) => w.id === id),
      { what: `worker ${id} to leave GET /v1/workers`, timeoutMs: 10_000, intervalMs: 100 },
    );
    // Three missed heartbeats of 500 ms: it should go in about 1.5 s, far inside the 10 s promise.
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    await waitUntil(
      async () => enginePids.filter(isAlive),
      (alive) => alive.length === 0,
      {
        what: 'the spinning engine process of the killed worker to exit',
        timeoutMs: 5_000,
      },
    );
  });
});
