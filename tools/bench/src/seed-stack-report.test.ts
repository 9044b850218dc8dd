import { describe, expect, it } from 'vitest';
import type { HttpLoadResult } from './http-load.js';
import type { Enqueued, PerJob } from './seed-stack-measures.js';
import { seedStackReport } from './seed-stack-report.js';

// The report is arithmetic on measurements: given numbers, it must compute each ratio and verdict right.
const load = (perSecond: number, p99Ms = 5): HttpLoadResult => ({
  perSecond,
  ok: perSecond * 10,
  failed: 0,
  p50Ms: 1,
  p99Ms,
  durationS: 10,
});
const commands = { all: 10, scripts: 2, top: [['evalsha', 2] as [string, number]] };
const enqueued = (perSecond: number, pacedP99Ms: number): Enqueued => ({
  load: load(perSecond),
  paced: load(500, pacedP99Ms),
  serverCpuUs: 300,
  redisCommands: commands,
});
const e2e = (jobsPerSecond: number): PerJob => ({
  run: { jobs: 5_000, failed: 0, enqueueS: 1, totalS: 5_000 / jobsPerSecond },
  cpuUs: { server: 400, worker: 300, engines: null, redis: 100, postgres: null, bench: 50 },
  redisBytes: 900,
  redisKeys: 1,
  redisCommands: commands,
});
const options = {
  connections: 64,
  durationS: 10,
  warmupS: 2,
  pacedRate: 500,
  jobs: 5_000,
  warmupJobs: 2_000,
};

const verdicts = (lines: string[]) =>
  lines
    .filter((line) => line.startsWith('| Gantry ') && line.includes('**'))
    .map((line) =>
      line
        .split('|')
        .map((cell) => cell.trim())
        .slice(2, 4),
    );

describe('seed-stack report', () => {
  it('checks each target against the same-run ratio it names', () => {
    const section = seedStackReport('7.', options, {
      gantryEnqueue: enqueued(2_900, 24),
      celeryEnqueue: enqueued(700, 80),
      gantry: e2e(1_200),
      celery: e2e(1_000),
      fair: e2e(2_100),
      bare: e2e(3_000),
      versions: 'celery 5.2.6',
      concurrency: 2,
    });
    expect(verdicts(section.lines)).toEqual([
      ['4.14×', '**PASS**'],
      ['24.0 ms', '**PASS**'],
      ['1.20×', '**FAIL**'],
      ['57 %', '**FAIL**'],
    ]);
    // A process group with no process reads as a dash, not as zero CPU.
    expect(section.lines.find((line) => line.startsWith('| Gantry    '))).toMatch(
      /\| 400 +\| 300 +\| – +\| 100 +\| – +\| 50 +\| 850 +\|$/,
    );
  });
});
