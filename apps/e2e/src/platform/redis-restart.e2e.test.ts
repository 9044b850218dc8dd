import type { ErrorBody } from '@gantry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayClient } from '../harness/gateway-client.js';
import type { GatewayProcess } from '../harness/gateway-process.js';
import { Platform } from '../harness/platform.js';
import { waitUntil } from '../harness/wait-until.js';
import type { WorkerProcess } from '../harness/worker-process.js';

// Redis of this file's own (AOF on, as production must run it), restarted under a live gateway and
// worker; shared Postgres under this file's schema.
const platform = await Platform.start({ label: 'redis-restart', redis: 'own' });
const redis = platform.ownRedis as NonNullable<typeof platform.ownRedis>;
let gateway: GatewayProcess;
let worker: WorkerProcess;
let api: GatewayClient;

platform.printLogsOnFailure();

beforeAll(async () => {
  let key: string;
  [worker, key] = await Promise.all([platform.startWorker('test'), platform.createApiKey()]);
  gateway = await platform.startGateway();
  api = platform.client(gateway, key);
  await api.waitForJobType('test.sleep');
}, 60_000);

afterAll(() => platform.cleanup(), 60_000);

async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await call();
  return { value, ms: Date.now() - started };
}

describe('a Redis restart', () => {
  it('keeps queued and finished jobs, answers 503 fast while Redis is down, and runs jobs after', async () => {
    const finished = await api.accept('test.sleep', { ms: 10 });
    await api.waitForJob(finished.id, (j) => j.status === 'succeeded');
    expect((await api.fetch('/v1/queues/runtime-test/pause', { method: 'POST' })).status).toBe(200);
    const queued = await api.accept('test.sleep', { ms: 10 });

    await redis.stop();
    // Long enough for the gateway to refresh what it knows about workers while Redis is away.
    for (const pause of [0, 6_000]) {
      await new Promise((resolve) => setTimeout(resolve, pause));
      const post = await timed(() => api.submit('test.sleep', { ms: 10 }));
      expect(post.ms).toBeLessThan(3_000);
      expect(post.value.status).toBe(503);
      expect(post.value.headers.get('retry-after')).toBeTruthy();
      expect((post.value.body as ErrorBody).error).toMatchObject({
        code: 'QUEUE_UNAVAILABLE',
        retryable: true,
      });
      const ready = await timed(() => fetch(`${gateway.url}/readyz`));
      expect(ready.ms).toBeLessThan(3_000);
      expect(ready.value.status).toBe(503);
      expect(await ready.value.json()).toMatchObject({ checks: { redis: false, database: true } });
    }

    await redis.start();
    await waitUntil(
      async () => (await fetch(`${gateway.url}/readyz`)).status,
      (status) => status === 200,
      {
        what: 'the gateway to be ready again',
      },
    );
    expect(await api.job(finished.id)).toMatchObject({ status: 'succeeded', output: { slept_ms: 10 } });
    expect(await api.job(queued.id)).toMatchObject({ status: 'queued', attempt: 0 });

    // The worker lived through it: it comes back to the registry and takes the jobs that waited.
    await api.worker(worker.pid, 'paused', 15_000);
    expect((await api.fetch('/v1/queues/runtime-test/resume', { method: 'POST' })).status).toBe(200);
    await api.waitForJob(queued.id, (j) => j.status === 'succeeded');
    const fresh = await api.accept('test.sleep', { ms: 10 });
    expect(await api.waitForJob(fresh.id, (j) => j.status === 'succeeded')).toMatchObject({
      output: { slept_ms: 10 },
    });
    expect(worker.process.running).toBe(true);
    // The gateway's recorder reconnected too: what ran after the restart reaches Postgres.
    await waitUntil(
      () => api.list('status=succeeded&limit=100'),
      (jobs) => [finished.id, queued.id, fresh.id].every((id) => jobs.some((job) => job.id === id)),
      { what: 'the jobs as succeeded in GET /v1/jobs' },
    );
  });
});
