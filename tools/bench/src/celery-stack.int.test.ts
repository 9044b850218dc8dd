import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BenchRedis } from './bench-redis.js';
import { BenchRun } from './bench-run.js';
import { CeleryStack, celeryPython } from './celery-stack.js';
import { descendants } from './cpu-meter.js';

// The seed-stack baseline for real: uvicorn and a Celery worker from tools/bench/baselines/celery, on a
// redis-server of the test's own. Skipped where the Python packages or redis-server are missing, as the
// scenario is.
const python = celeryPython(process.env['BENCH_PYTHON']);

describe.skipIf(python === null || !BenchRedis.available())('FastAPI + Celery baseline', () => {
  const run = new BenchRun(true);
  let redis: BenchRedis;
  beforeAll(async () => {
    redis = await BenchRedis.start();
  });
  afterAll(async () => {
    await run.cleanup();
    await redis.stop();
  });

  it('accepts a job over HTTP with delay() and stores its result in the Redis result backend', async () => {
    const stack = await CeleryStack.start(run.onRedis(redis.url), {
      python: python ?? '',
      firstDb: 1,
      worker: { concurrency: 1 },
    });
    try {
      const post = (type: string) =>
        fetch(`${stack.url}/v1/jobs/${type}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ input: { n: 3 } }),
        });
      const accepted = await post('bench.noop');
      expect(accepted.status).toBe(202);
      expect(((await accepted.json()) as { id: string }).id).toMatch(/^[0-9a-f-]{36}$/);
      expect((await post('bench.other')).status).toBe(404);

      const deadline = Date.now() + 15_000;
      while ((await stack.stored()) < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await stack.stored()).toBe(1);
      expect(await stack.failedResults()).toBe(0);
      // Prefork: the pool's one process is a child of the worker's main process.
      expect(await descendants(stack.workerPid ?? 0)).toHaveLength(1);
    } finally {
      await stack.close();
    }
  }, 30_000);
});
