import { describe, expect, it } from 'vitest';
import { rateLimitReport } from './rate-limit-report.js';
import type { EnqueuePass } from './seed-stack-measures.js';

// The report is arithmetic on measurements: the cost is taken within each round, the verdict from
// the median over the rounds.
const pass = (perSecond: number, commandsPerRequest: number): EnqueuePass => ({
  load: { perSecond, ok: perSecond * 5, failed: 0, p50Ms: 20, p99Ms: 60, durationS: 5 },
  serverCpuMs: perSecond * 5 * 0.5,
  redisCpuMs: perSecond * 5 * 0.1,
  commands: new Map([['evalsha', perSecond * 5 * commandsPerRequest]]),
});
const options = {
  rounds: 3,
  connections: 64,
  durationS: 5,
  warmupS: 2,
  ratePerSecond: 1_000_000,
  burst: 1_000_000,
};

const cells = (line: string) =>
  line
    .split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());

describe('rate-limit report', () => {
  it('takes the cost within each round and checks its median against 5 %', () => {
    // Costs 2 %, 10 % and 4 % (median 4 %), although the medians of req/s give 1 − 1,900 ÷ 2,000 = 5 %.
    const section = rateLimitReport('9.', options, {
      unlimited: [pass(2_000, 2), pass(1_000, 2), pass(2_500, 2)],
      limited: [pass(1_960, 3), pass(900, 3), pass(2_400, 3)],
    });
    const target = section.lines.find((line) => line.startsWith('| the rate limiter costs'));
    expect(cells(target ?? '')).toEqual([
      'the rate limiter costs enqueue < 5 % of its req/s',
      '4.0 % (2.0 %–10.0 %); by CPU per request 0.0 %',
      '**PASS**',
    ]);
    const limited = section.lines.find((line) => line.startsWith('| limited'));
    expect(cells(limited ?? '')).toEqual([
      'limited to 1,000,000/s, burst 1,000,000 (the limiter runs, never refuses)',
      '1960 (900–2400)',
      '20.0',
      '60.0',
      '0',
      '500',
      '100',
      '3.0 (3.0)',
    ]);
  });

  it('fails the target when the median cost reaches 5 %', () => {
    const section = rateLimitReport('9.', options, {
      unlimited: [pass(2_000, 2), pass(2_000, 2), pass(2_000, 2)],
      limited: [pass(1_900, 3), pass(1_800, 3), pass(1_980, 3)],
    });
    const target = section.lines.find((line) => line.startsWith('| the rate limiter costs'));
    expect(cells(target ?? '')[2]).toBe('**FAIL**');
  });
});
