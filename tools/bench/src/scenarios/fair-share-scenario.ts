import { createApiKeyRepository, createPool } from '@gantry/job-store';
import { BenchSpin } from '../bench-contracts.js';
import type { BenchRun } from '../bench-run.js';
import { benchFile } from '../child-service.js';
import { closedLoop } from '../closed-loop.js';
import { GantryStack } from '../gantry-stack.js';
import { runJob } from '../job-client.js';
import { latencyStats } from '../latency-stats.js';
import { markdownTable, num, type Section } from '../report-format.js';

const jobMs = 20;

/**
 * Fair share (ADR 7): how long a tenant's 10 jobs take to come back, alone and right after another
 * tenant queued a flood of the same jobs. Each job keeps one core busy for 20 ms; the worker has one
 * engine process per CPU. Without fair share the small tenant would wait for the whole flood.
 */
export async function fairShareScenario(run: BenchRun): Promise<Section> {
  const flood = run.scale(2_000, 300);
  const small = 10;
  const stack = await GantryStack.start(run, 'fair', [
    { app: 'bench-worker', module: benchFile('bench-worker'), concurrency: run.cpus },
  ]);
  const pool = createPool(run.databaseUrl(stack.schema), { max: 1 });
  try {
    await stack.waitForTypes([BenchSpin.type]);
    const flooder = `Bearer ${(await createApiKeyRepository(pool).create({ tenant: 'flooder', name: 'flood', scopes: ['jobs'] })).key}`;
    const request = { input: { ms: jobMs } };
    const smallTenant = async () => {
      const { results } = await closedLoop({ concurrency: small, count: small }, () =>
        runJob(stack, BenchSpin.type, request),
      );
      return latencyStats(results.filter((r) => r.ok).map((r) => r.latencyMs));
    };
    // Warm-up, then the small tenant alone.
    await smallTenant();
    const alone = await smallTenant();

    const queued = await closedLoop({ concurrency: 16, count: flood }, async () => {
      const res = await fetch(`${stack.url}/v1/jobs/${BenchSpin.type}`, {
        method: 'POST',
        headers: { authorization: flooder, 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
      await res.arrayBuffer();
      return { ok: res.status === 202 };
    });
    const accepted = queued.results.filter((r) => r.ok).length;
    const behindFlood = await smallTenant();
    const fifoMs = (accepted * jobMs) / run.cpus;
    return {
      title: `8. Fair share: a tenant's ${small} jobs, alone and behind another tenant's flood`,
      lines: [
        ...markdownTable(
          ['small tenant', 'p50 ms', 'slowest ms'],
          [
            ['alone', num(alone.p50, 0), num(alone.p99, 0)],
            [`after ${accepted} flood jobs were queued`, num(behindFlood.p50, 0), num(behindFlood.p99, 0)],
          ],
        ),
        '',
        `Each job keeps a core busy for ${jobMs} ms; ${run.cpus} engine processes. In arrival order (FIFO) the ` +
          `small tenant would wait for the flood first: about ${num(fifoMs / 1_000, 1)} s.`,
      ],
    };
  } finally {
    await pool.end().catch(() => undefined);
    await stack.close();
  }
}
