import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BenchRun } from '../bench-run.js';
import { closedLoop } from '../closed-loop.js';
import { GantryStack } from '../gantry-stack.js';
import { type JobRequest, runJob } from '../job-client.js';
import { shortClassify, shortIntent, shortSentiment } from '../language-inputs.js';
import { latencyStats } from '../latency-stats.js';
import { markdownTable, num, percent, type Section } from '../report-format.js';
import { syntheticDailySeries } from '../synthetic-series.js';

interface JobTypeCase {
  type: string;
  app: string;
  what: string;
  request(): Promise<JobRequest>;
}

const file = async (fixture: string, input: Record<string, unknown> = {}): Promise<JobRequest> => ({
  input,
  file: { bytes: await readFile(fixture), filename: path.basename(fixture) },
});

function cases(run: BenchRun): JobTypeCase[] {
  const fixtures = run.env.FIXTURES_DIR;
  return [
    {
      type: 'ocr.extract',
      app: 'ocr',
      what: 'ocr/invoice-clean.png (1839×733, 8 lines), uploaded with each job',
      request: () => file(path.join(fixtures, 'ocr/invoice-clean.png')),
    },
    {
      type: 'vision.detect',
      app: 'vision',
      what: 'images/dog.jpg (768×576), uploaded with each job',
      request: () => file(path.join(fixtures, 'images/dog.jpg')),
    },
    {
      type: 'predictive.forecast',
      app: 'predictive',
      what: '730 daily points (2 years: trend, weekly and yearly seasons, noise), horizon 28',
      request: async () => ({ input: { series: syntheticDailySeries(730), horizon: 28 } }),
    },
    {
      type: 'llm.sentiment',
      app: 'llm',
      what: shortSentiment.what,
      request: async () => ({ input: shortSentiment.input }),
    },
    {
      type: 'llm.intent',
      app: 'llm',
      what: `${shortIntent.what} (local provider)`,
      request: async () => ({ input: shortIntent.input }),
    },
    {
      type: 'llm.classify',
      app: 'llm',
      what: `${shortClassify.what} (local provider)`,
      request: async () => ({ input: shortClassify.input }),
    },
    {
      type: 'llm.summarize',
      app: 'llm',
      what: 'a 6-sentence news item to 2 sentences (local provider: TextRank)',
      request: async () => ({
        input: {
          text: 'The city council approved a new budget for public transport on Tuesday. The plan adds twelve electric buses and extends the tram line to the airport by 2027. Council members argued for hours about the cost of the tram extension. The mayor said the budget would cut travel times and air pollution across the city. Local shop owners welcomed the tram extension but worried about two years of road works. Tickets will not become more expensive, the transport company promised.',
          length: { sentences: 2 },
        },
      }),
    },
    {
      type: 'llm.tags',
      app: 'llm',
      what: 'a 40-word payment e-mail with an amount, an IBAN, a date, an e-mail address and names (local provider)',
      request: async () => ({
        input: {
          text: 'Dear Sir, please transfer EUR 1,250.00 to IBAN DE89 3704 0044 0532 0130 00 by 12 March 2025. Contact anna.berg@example.com if the invoice from Siemens in Berlin is unclear. Regards, John Smith',
        },
      }),
    },
  ];
}

/**
 * Scenario 4: each real job type through the whole stack (HTTP upload → queue → engine process →
 * answer), one client and then eight clients waiting for their answers, against a worker with one
 * engine process per CPU. The engine share is the job's own started→completed time over the latency
 * the client saw: what is left is HTTP, upload, queueing and state writes.
 */
export async function jobTypesScenario(run: BenchRun): Promise<Section> {
  const durationMs = run.scale(10_000, 2_000);
  const levels = [1, 8];
  const rows: string[][] = [];
  const notes: string[] = [];
  const stack = await GantryStack.start(run, 'types', []);
  try {
    for (const c of cases(run)) {
      if (c.app === 'llm' && !existsSync(path.join(run.repoRoot, 'apps/llm/src/worker.ts'))) {
        notes.push(`\`${c.type}\` skipped: apps/llm/src/worker.ts does not exist yet.`);
        continue;
      }
      const module = run.appWorkerModule(c.app);
      if (!module) {
        notes.push(`\`${c.type}\` skipped: apps/${c.app} has no built worker module (run the build first).`);
        continue;
      }
      const worker = await stack
        .startWorker({ app: `${c.app}-worker`, module, concurrency: run.cpus })
        .catch((error: unknown) => {
          notes.push(
            `\`${c.type}\` skipped: its worker did not start (${(error as Error).message.split('\n')[0]}).`,
          );
          return null;
        });
      if (!worker) continue;
      try {
        const request = await c.request();
        // Warm-up: every engine process runs a job first (lazy initialisation, JIT).
        await closedLoop({ concurrency: run.cpus, count: run.cpus * 2 }, () =>
          runJob(stack, c.type, request),
        );
        for (const level of levels) {
          const { results, wallMs } = await closedLoop({ concurrency: level, durationMs }, () =>
            runJob(stack, c.type, request),
          );
          const ok = results.filter((r) => r.ok);
          const latency = latencyStats(ok.map((r) => r.latencyMs));
          const engine = latencyStats(ok.flatMap((r) => (r.engineMs === null ? [] : [r.engineMs])));
          const engineShare =
            ok.reduce((sum, r) => sum + (r.engineMs ?? 0), 0) / ok.reduce((sum, r) => sum + r.latencyMs, 0);
          rows.push([
            `\`${c.type}\``,
            String(level),
            String(ok.length),
            String(results.length - ok.length),
            num(ok.length / (wallMs / 1_000)),
            num(latency.p50, 0),
            num(latency.p99, 0),
            num(engine.p50, 0),
            percent(engineShare),
          ]);
        }
        notes.push(`\`${c.type}\`: ${c.what}.`);
      } finally {
        await stack.stopWorker(worker);
      }
    }
  } finally {
    await stack.close();
  }
  return {
    title: `4. Real job types through the stack (${durationMs / 1_000} s per row, worker concurrency ${run.cpus})`,
    lines: [
      ...markdownTable(
        [
          'job type',
          'clients',
          'jobs',
          'failed',
          'jobs/s',
          'p50 ms',
          'p99 ms',
          'engine p50 ms',
          'engine share',
        ],
        rows,
      ),
      '',
      'Each client posts with `Prefer: wait` and sends its next job when the answer arrives; latency is that round trip. ' +
        'With 8 clients and ' +
        `${run.cpus} engine processes, jobs queue, so latency grows while the engine time does not.`,
      '',
      ...notes.map((note) => `- ${note}`),
    ],
  };
}
