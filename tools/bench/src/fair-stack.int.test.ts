import { readFile } from 'node:fs/promises';
import { createPool } from '@gantry/job-store';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { BenchRun } from './bench-run.js';
import { descendants } from './cpu-meter.js';
import { FairStack } from './fair-stack.js';

// The fair baseline for real: its server and worker in child processes, the real Redis (a prefix of
// this run's) and PostgreSQL (a schema of this run's), and the engine processes it forks.
const run = new BenchRun(true);
afterAll(() => run.cleanup());

const niceness = async (pid: number) => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
};

describe('fair baseline', () => {
  it('keeps one row per job, inserted on enqueue and updated once an engine process at nice 10 ran the job', async () => {
    const stack = await FairStack.start(run, 'fair-test', { concurrency: 2 });
    const pool = createPool(run.databaseUrl(stack.schema, 'fair-test'), { max: 1 });
    const redis = new Redis(run.env.REDIS_URL);
    try {
      const ids: string[] = [];
      for (const n of [1, 2, 3]) {
        const res = await fetch(`${stack.url}/v1/jobs/bench.noop`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ input: { n } }),
        });
        expect(res.status).toBe(202);
        ids.push(((await res.json()) as { id: string }).id);
      }
      const deadline = Date.now() + 15_000;
      while ((await stack.succeeded()) < 3 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));

      const { rows } = await pool.query<{ id: string; status: string; output: unknown; completed: boolean }>(
        'SELECT id, status, output, completed_at IS NOT NULL AS completed FROM fair_jobs ORDER BY input->>$1',
        ['n'],
      );
      expect(rows).toEqual(
        ids.map((id, i) => ({ id, status: 'succeeded', output: { n: i + 1 }, completed: true })),
      );
      // BullMQ removed the completed jobs: the row is the result.
      expect(await redis.exists(...ids.map((id) => `${stack.prefix}:bull:bench:${id}`))).toBe(0);

      // From sources, tsx adds an esbuild process below each Node process: pick the engines by entry.
      const engines: number[] = [];
      for (const pid of await descendants(stack.workerPid ?? 0)) {
        const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        if (command.includes('fair-engine-process')) engines.push(pid);
      }
      expect(engines).toHaveLength(2);
      for (const pid of engines) expect(await niceness(pid)).toBe(10);
    } finally {
      redis.disconnect();
      await pool.end();
      await stack.close();
    }
  }, 60_000);
});
