import { describe, expect, it } from 'vitest';
import type { HttpLoadResult } from './http-load.js';
import type { EnqueuePass, Pass } from './seed-stack-measures.js';
import { seedStackReport } from './seed-stack-report.js';

// The report is arithmetic on measurements: given numbers, it must take each ratio within a round,
// the median over the rounds, and the verdict from that.
const load = (perSecond: number, p99Ms = 5): HttpLoadResult => ({
  perSecond,
  ok: perSecond * 5,
  failed: 0,
  p50Ms: 1,
  p99Ms,
  durationS: 5,
});
const enqueuePass = (perSecond: number): EnqueuePass => ({
  load: load(perSecond),
  serverCpuMs: perSecond * 5 * 0.3,
  redisCpuMs: perSecond * 5 * 0.1,
  commands: new Map([['evalsha', perSecond * 5 * 2]]),
});
const pass = (jobsPerSecond: number): Pass => ({
  run: { jobs: 5_000, failed: 0, enqueueS: 1, totalS: 5_000 / jobsPerSecond },
  // 400, 300, 100 and 50 µs a job over 5,000 jobs.
  cpuMs: { server: 2_000, worker: 1_500, engines: null, redis: 500, postgres: null, bench: 250 },
  keptBytes: 4_500_000,
  keptKeys: 5_000,
  commands: new Map([
    ['evalsha', 10_000],
    ['xadd', 15_000],
  ]),
});
const options = {
  rounds: 3,
  connections: 64,
  durationS: 5,
  warmupS: 2,
  pacedRate: 500,
  pacedS: 10,
  jobs: 5_000,
  warmupJobs: 2_000,
};

const cells = (line: string) =>
  line
    .split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());

describe('seed-stack report', () => {
  it('checks each target against the median of ratios taken within each round', () => {
    const section = seedStackReport('7.', options, {
      // Enqueue ratios 4.2, 3.0 and 4.5 (median 4.2) although the medians of req/s give 2,900 ÷ 700.
      enqueue: {
        gantry: [enqueuePass(2_100), enqueuePass(2_400), enqueuePass(2_900)],
        celery: [enqueuePass(500), enqueuePass(800), enqueuePass(2_900 / 4.5)],
        fair: [enqueuePass(2_500), enqueuePass(2_500), enqueuePass(2_500)],
        bare: [enqueuePass(5_000), enqueuePass(4_000), enqueuePass(5_800)],
      },
      paced: { gantry: load(500, 24), celery: load(500, 80), fair: load(500, 10), bare: load(500, 8) },
      passes: {
        gantry: [pass(1_200), pass(1_000), pass(1_100)],
        celery: [pass(1_000), pass(400), pass(500)],
        fair: [pass(2_000), pass(1_600), pass(2_000)],
        bare: [pass(3_000), pass(3_000), pass(3_000)],
      },
      celeryFailed: 2,
      versions: 'celery 5.2.6',
      concurrency: 2,
    });
    const verdicts = section.lines
      .filter((line) => line.startsWith('| Gantry ') && line.includes('**'))
      .map(cells);
    expect(verdicts.map(([, measured, result]) => [measured, result])).toEqual([
      // Every pass costs the same CPU per request and per job: "by CPU" reads 1×.
      ['4.20× (3.00×–4.50×); by CPU per request 1.00×', '**PASS**'],
      ['24.0 ms', '**PASS**'],
      ['2.20× (1.20×–2.50×); by CPU per job 1.00×', '**PASS**'],
      ['60 % (55 %–63 %); by CPU per job 100 %', '**PASS**'],
    ]);
    // The ceilings: bare ÷ Celery 10×, 5× and 9× (median 9×), so 4× Celery is 44 % of bare's rate; fair ÷ it 5×, 3.13×, 3.88×.
    expect(section.lines.find((line) => line.startsWith('- Enqueue: '))).toContain(
      "bare ÷ FastAPI + Celery 9.00× (5.00×–10.0×), fair ÷ it 3.88× (3.13×–5.00×); Gantry ÷ bare 50 % (42 %–60 %). Gantry at 4× Celery would accept 44 % of bare's rate.",
    );
    expect(section.lines.find((line) => line.startsWith('- End to end: '))).toContain(
      'fair ÷ FastAPI + Celery 4.00× (2.00×–4.00×) (by CPU per job 1.00×), bare ÷ it 6.00× (3.00×–7.50×).',
    );
    const celery = cells(section.lines.find((line) => line.startsWith('| FastAPI + Celery: ')) ?? '');
    expect(celery.slice(1, 3)).toEqual(['14998', '2']);
    // Per job: sums over the passes divided by the jobs; a group without a process is a dash, not zero.
    const gantry = cells(section.lines.find((line) => line.startsWith('| Gantry    ')) ?? '');
    expect(gantry).toEqual([
      'Gantry',
      '900',
      '1.00',
      '5.0 (2.0)',
      '400',
      '300',
      '–',
      '100',
      '–',
      '50',
      '850',
    ]);
  });
});
