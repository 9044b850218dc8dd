import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayClient } from '../harness/gateway-client.js';
import type { GatewayProcess } from '../harness/gateway-process.js';
import { Platform } from '../harness/platform.js';
import { waitUntil } from '../harness/wait-until.js';

// Graceful ends of a worker: SIGTERM (a deploy or a scale-down) and the admin drain. Real gateway
// from build output, test workers from sources, shared Redis and Postgres under this file's names.
const platform = await Platform.start({ label: 'worker-shutdown' });
let gateway: GatewayProcess;
let api: GatewayClient;
let adminKey: string;

platform.printLogsOnFailure();

beforeAll(async () => {
  [gateway, adminKey] = await Promise.all([
    platform.startGateway(),
    // Draining and seeing a worker's pid are the platform's.
    platform.createApiKey('acme', ['jobs', 'admin', 'platform']),
  ]);
  api = platform.client(gateway, adminKey);
}, 60_000);

afterAll(() => platform.cleanup(), 60_000);

// Long enough for the drain test's job, shorter than the hand-back test's.
const grace = { WORKER_SHUTDOWN_GRACE_MS: '3000' };

describe('stopping a worker gracefully', () => {
  it('on SIGTERM finishes its running job, takes no new one, and exits 0', async () => {
    const worker = await platform.startWorker('test', { env: { WORKER_CONCURRENCY: '2' } });
    await api.waitForJobType('test.sleep');
    const { id: workerId } = await api.worker(worker.pid, 'ready');
    const running = await api.accept('test.sleep', { ms: 2_500 });
    await api.waitForJob(running.id, (j) => j.status === 'running' && j.worker === workerId);

    worker.process.signal('SIGTERM');
    await api.worker(worker.pid, 'draining');
    // A free slot, and a job for it: a draining worker must leave it alone.
    const later = await api.accept('test.sleep', { ms: 50 });
    const exit = await worker.process.exited;
    expect(exit).toEqual({ code: 0, signal: null });

    expect(await api.job(running.id)).toMatchObject({
      status: 'succeeded',
      worker: workerId,
      attempt: 1,
      output: { slept_ms: 2_500 },
    });
    expect(await api.job(later.id)).toMatchObject({ status: 'queued', attempt: 0, worker: null });
    expect((await api.workers()).some((w) => w.id === workerId)).toBe(false);

    // The job that waited runs once workers are back; they serve the next tests.
    await Promise.all([
      platform.startWorker('test', { env: grace }),
      platform.startWorker('test', { env: grace }),
    ]);
    const done = await api.waitForJob(later.id, (j) => j.status === 'succeeded');
    expect(done.worker).not.toBe(workerId);
  });

  it('hands a job running past WORKER_SHUTDOWN_GRACE_MS back to the queue, where another worker completes it', async () => {
    const [a, b] = platform.workers.filter((w) => w.process.running);
    if (!a || !b) throw new Error('two running workers expected');
    // test.sleep allows a single attempt: a hand-back must not use it up.
    const accepted = await api.accept('test.sleep', { ms: 6_000 });
    const first = await api.waitForJob(accepted.id, (j) => j.status === 'running');
    const owner = (await api.workers()).find((w) => w.id === first.worker);
    const [victim, other] = owner?.pid === a.pid ? [a, b] : [b, a];
    const otherId = (await api.worker(other.pid)).id;

    const stoppedAt = Date.now();
    const exit = await victim.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    // 3 s of grace, then the hand-back: it did not sit out the 6 s job.
    expect(Date.now() - stoppedAt).toBeLessThan(5_500);

    const done = await api.waitForJob(
      accepted.id,
      (j) => j.status === 'succeeded' || j.status === 'failed',
      20_000,
    );
    expect(done).toMatchObject({
      status: 'succeeded',
      worker: otherId,
      // The hand-back was not an attempt: the run that finished is still attempt 1 of 1.
      attempt: 1,
      error: null,
      output: { slept_ms: 6_000 },
    });
    const history = await waitUntil(
      () =>
        platform.query<{ status: string }>('SELECT status FROM job_events WHERE job_id = $1 ORDER BY seq', [
          accepted.id,
        ]),
      (rows) => rows.at(-1)?.status === 'succeeded',
      { what: 'the job history in Postgres' },
    );
    expect(history.map((row) => row.status)).toEqual([
      'queued',
      'running',
      'retrying',
      'running',
      'succeeded',
    ]);
  });

  it('drains a worker on POST /v1/workers/{id}/drain: it finishes its job and exits', async () => {
    const worker = platform.workers.find((w) => w.process.running);
    if (!worker) throw new Error('a running worker expected');
    const { id } = await api.worker(worker.pid, 'ready');
    const accepted = await api.accept('test.sleep', { ms: 1_500 });
    await api.waitForJob(accepted.id, (j) => j.status === 'running' && j.worker === id);

    const jobsOnly = platform.client(gateway, await platform.createApiKey('acme', ['jobs']));
    expect((await jobsOnly.fetch(`/v1/workers/${id}/drain`, { method: 'POST' })).status).toBe(403);
    const res = await api.fetch(`/v1/workers/${id}/drain`, { method: 'POST' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ worker: id, draining: true });

    const exit = await waitUntil(
      async () => worker.process.exitStatus,
      (e) => e !== null,
      {
        what: 'the drained worker to exit',
        timeoutMs: 10_000,
      },
    );
    expect(exit).toEqual({ code: 0, signal: null });
    expect(await api.job(accepted.id)).toMatchObject({ status: 'succeeded', worker: id });
    expect((await api.workers()).some((w) => w.id === id)).toBe(false);
  });
});
