import { LlmClassifyInput, LlmIntentInput } from '@gantry/contracts';
import {
  createLocalLanguageProvider,
  type LanguageProvider,
  loadEnglishReader,
  loadLanguageDetector,
} from '@gantry/llm-worker/language-engine';
import type { BenchRun } from '../bench-run.js';
import { closedLoop } from '../closed-loop.js';
import { GantryStack } from '../gantry-stack.js';
import { runJob } from '../job-client.js';
import { shortClassify, shortIntent, shortSentiment } from '../language-inputs.js';
import { latencyStats } from '../latency-stats.js';
import { markdownTable, num, percent, type Section } from '../report-format.js';

interface LanguageCase {
  type: 'llm.intent' | 'llm.classify';
  what: string;
  input: Record<string, unknown>;
  /** The engine call the job's handler makes, here in the bench process. */
  call(provider: LanguageProvider): Promise<unknown>;
}

const languageCases: LanguageCase[] = [
  {
    type: 'llm.intent',
    ...shortIntent,
    call: (provider) => provider.intent(LlmIntentInput.parse(shortIntent.input)),
  },
  {
    type: 'llm.classify',
    ...shortClassify,
    call: (provider) => provider.classify(LlmClassifyInput.parse(shortClassify.input)),
  },
];

const title = '17. Language types on the local provider: jobs/s vs the in-process engine call';

/** Calls of `call` a second, back to back on this thread, for `durationMs` after a warm-up. */
async function inProcessRate(call: () => Promise<unknown>, durationMs: number): Promise<number> {
  for (let i = 0; i < 20; i += 1) await call();
  let calls = 0;
  const started = performance.now();
  while (performance.now() - started < durationMs) {
    await call();
    calls += 1;
  }
  return calls / ((performance.now() - started) / 1_000);
}

/**
 * Scenario 17: `llm.intent` and `llm.classify` on the embedded local provider, short texts. The baseline
 * is the same engine call in this process, back to back on one core (the classifier learnt from the
 * examples is cached, in the engine process as here): what the stack keeps of it with one client
 * (HTTP, queue, engine process round trip, state writes per job) and with one client per engine
 * process (8 clients, worker concurrency = CPUs), against the in-process rate times the CPUs; and
 * against `llm.sentiment` through the same worker, the per-job floor of the llm queue.
 */
export async function languageScenario(run: BenchRun): Promise<Section> {
  const durationMs = run.scale(10_000, 2_000);
  const provider = createLocalLanguageProvider(loadEnglishReader(), await loadLanguageDetector());
  const inProcess = new Map<string, number>();
  for (const c of languageCases)
    inProcess.set(c.type, await inProcessRate(() => c.call(provider), durationMs));

  const rows: string[][] = [];
  const module = run.appWorkerModule('llm');
  if (!module)
    return { title, lines: ['Skipped: apps/llm has no built worker module (run the build first).'] };
  const stack = await GantryStack.start(run, 'language', []);
  const measure = async (type: string, input: Record<string, unknown>, clients: number) => {
    const { results, wallMs } = await closedLoop({ concurrency: clients, durationMs }, () =>
      runJob(stack, type, { input }),
    );
    const ok = results.filter((r) => r.ok);
    const engine = latencyStats(ok.flatMap((r) => (r.engineMs === null ? [] : [r.engineMs])));
    return { rate: ok.length / (wallMs / 1_000), failed: results.length - ok.length, engineP50: engine.p50 };
  };
  try {
    const worker = await stack.startWorker({ app: 'llm-worker', module, concurrency: run.cpus });
    try {
      for (const type of ['llm.sentiment', ...languageCases.map((c) => c.type)]) {
        const input = languageCases.find((c) => c.type === type)?.input ?? shortSentiment.input;
        await closedLoop({ concurrency: run.cpus, count: run.cpus * 4 }, () =>
          runJob(stack, type, { input }),
        );
      }
      for (const clients of [1, 8]) {
        const reference = await measure('llm.sentiment', shortSentiment.input, clients);
        // One client uses one engine process at a time; eight keep every engine process busy.
        const cores = Math.min(clients, run.cpus);
        for (const c of languageCases) {
          const measured = await measure(c.type, c.input, clients);
          const baseline = inProcess.get(c.type) ?? 0;
          rows.push([
            `\`${c.type}\``,
            String(clients),
            String(measured.failed),
            num(measured.rate),
            num(measured.engineP50, 1),
            `${num(baseline)} × ${cores}`,
            `${num((measured.rate / (baseline * cores)) * 100, 2)} %`,
            num(reference.rate),
            percent(measured.rate / reference.rate),
          ]);
        }
      }
    } finally {
      await stack.stopWorker(worker);
    }
  } finally {
    await stack.close();
  }
  return {
    title: `${title} (${durationMs / 1_000} s per row, worker concurrency ${run.cpus})`,
    lines: [
      ...markdownTable(
        [
          'job type',
          'clients',
          'failed',
          'jobs/s',
          'engine p50 ms',
          'in-process calls/s × cores used',
          'vs in-process',
          '`llm.sentiment` jobs/s',
          'vs `llm.sentiment`',
        ],
        rows,
      ),
      '',
      'Clients post with `Prefer: wait` and send the next job when the answer arrives. The baseline is the ' +
        "handler's engine call (`createLocalLanguageProvider`) back to back in the bench process, on one core; " +
        'the first ratio is what the stack keeps of it on the cores a level can use. `llm.sentiment` (the same 16-word ' +
        'message as scenario 4) runs through the same worker just before each level: the cheapest llm job, so the ' +
        'second ratio says whether a language type costs more than the per-job floor of the stack.',
      '',
      ...languageCases.map((c) => `- \`${c.type}\`: ${c.what}.`),
    ],
  };
}
