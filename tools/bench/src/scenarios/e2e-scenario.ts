import { BareStack } from '../bare-stack.js';
import { BenchNoop } from '../bench-contracts.js';
import type { BenchRun } from '../bench-run.js';
import { benchFile } from '../child-service.js';
import { GantryStack } from '../gantry-stack.js';
import {
  endToEndPollMs,
  type EndToEnd as Measured,
  measureEndToEnd as measure,
} from '../measure-end-to-end.js';
import { markdownTable, num, percent, type Section, verdict } from '../report-format.js';

const e2eTarget = { minRatio: 0.5 } as const;

/**
 * Scenario 2: N jobs end to end over HTTP, until the last result is stored. Gantry: gateway → BullMQ →
 * worker runtime → engine process → job state → recorder → a `succeeded` row in PostgreSQL. Bare: Express
 * `queue.add` → a raw BullMQ Worker that runs the job in its own event loop; BullMQ keeps the result in Redis.
 */
export async function e2eScenario(run: BenchRun): Promise<Section> {
  const jobs = run.scale(5_000, 300);
  // Enough for V8 to have optimised both sides' hot paths (measured: after 200 jobs Gantry's first
  // run was still ~15 % slower than its later ones), so the measured run is the steady state.
  const warmup = run.scale(2_000, 50);
  const concurrency = run.cpus;
  const timeoutMs = 180_000;

  const gantry = await GantryStack.start(run, 'e2e', [
    { app: 'bench-worker', module: benchFile('bench-worker'), concurrency },
  ]);
  let g: Measured;
  try {
    await gantry.waitForTypes([BenchNoop.type]);
    const recorded = async () => ({
      finished: await gantry.recordedJobs('succeeded'),
      failed: await gantry.recordedJobs('failed'),
    });
    await measure(gantry.url, gantry.authorization, warmup, recorded, timeoutMs);
    g = await measure(gantry.url, gantry.authorization, jobs, recorded, timeoutMs);
  } finally {
    await gantry.close();
  }

  const bare = await BareStack.start(run, 'e2e-bare', { concurrency });
  let b: Measured;
  try {
    const completed = async () => {
      const counts = await bare.counts();
      return { finished: counts.completed, failed: counts.failed };
    };
    await measure(bare.url, null, warmup, completed, timeoutMs);
    b = await measure(bare.url, null, jobs, completed, timeoutMs);
  } finally {
    await bare.close();
  }

  const perSecond = (m: Measured) => m.jobs / m.totalS;
  const ratio = perSecond(g) / perSecond(b);
  const row = (name: string, m: Measured) => [
    name,
    String(m.jobs),
    String(m.failed),
    num(m.enqueueS),
    num(m.totalS),
    num(perSecond(m), 0),
  ];
  return {
    title: `2. End to end over HTTP: ${jobs} jobs until the last result is stored`,
    lines: [
      ...markdownTable(
        ['pipeline', 'jobs done', 'failed', 'all accepted after s', 'last stored after s', 'jobs/s'],
        [
          row('Gantry: gateway → worker (engine processes) → PostgreSQL row', g),
          row('bare: Express `queue.add` → raw BullMQ Worker → result in Redis', b),
        ],
      ),
      '',
      ...markdownTable(
        ['target', 'measured', 'result'],
        [
          [
            `Gantry ≥ ${percent(e2eTarget.minRatio)} of bare jobs/s`,
            percent(ratio),
            verdict(ratio >= e2eTarget.minRatio),
          ],
        ],
      ),
      '',
      `\`bench.noop\` jobs posted by 64 connections; worker concurrency ${concurrency} on both sides (Gantry's default: one engine process per CPU). ` +
        `Clock from the first request until the poll (every ${endToEndPollMs} ms) that finds the last job: a \`succeeded\` row in PostgreSQL for Gantry, ` +
        `a completed BullMQ job for bare. After ${warmup} warm-up jobs each.`,
    ],
  };
}
