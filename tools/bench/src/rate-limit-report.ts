import { enqueueCostCells, enqueueCpuPerRequest, enqueueLoadCells } from './enqueue-cells.js';
import { markdownTable, median, percent, type Section, spread, verdict } from './report-format.js';
import type { EnqueuePass } from './seed-stack-measures.js';

/** Issue 11: the rate limiter may cost enqueue under 5 % of its throughput. */
const rateLimitTarget = { maxCost: 0.05 } as const;

export interface RateLimitOptions {
  /** Measured passes per key, alternating: unlimited, limited, unlimited, limited… */
  rounds: number;
  connections: number;
  durationS: number;
  warmupS: number;
  /** The limited key's rate and burst: so high that the limiter runs on every request and never refuses. */
  ratePerSecond: number;
  burst: number;
}

export interface RateLimitResults {
  /** One flat-out pass per round and key, in round order. */
  unlimited: EnqueuePass[];
  limited: EnqueuePass[];
}

const percentOne = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;

/**
 * Scenario 9's tables. The limiter's cost is 1 − limited ÷ unlimited req/s, taken within each round
 * (the two passes seconds apart); the verdict reads the median over the rounds.
 */
export function rateLimitReport(title: string, o: RateLimitOptions, m: RateLimitResults): Section {
  const costs = m.limited.map((pass, i) => 1 - pass.load.perSecond / (m.unlimited[i] ?? pass).load.perSecond);
  // Throughput on a shared machine moves with the crowd; the CPU a request costs the gateway and
  // Redis together barely does, so it is the steadier second reading of the same cost.
  const costByCpu = enqueueCpuPerRequest(m.limited) / enqueueCpuPerRequest(m.unlimited) - 1;
  const row = (name: string, passes: EnqueuePass[]) => [
    name,
    ...enqueueLoadCells(passes),
    ...enqueueCostCells(passes),
  ];
  const rounds = m.unlimited.length;
  return {
    title,
    lines: [
      ...markdownTable(
        [
          'API key',
          'req/s',
          'p50 ms',
          'p99 ms',
          'errors',
          'gateway CPU µs/req',
          'Redis CPU µs/req',
          'Redis commands/req (scripts)',
        ],
        [
          row('unlimited (`rate_limit_per_s` 0: the limiter is skipped)', m.unlimited),
          row(
            `limited to ${o.ratePerSecond.toLocaleString('en-US')}/s, burst ${o.burst.toLocaleString('en-US')} (the limiter runs, never refuses)`,
            m.limited,
          ),
        ],
      ),
      '',
      ...markdownTable(
        ['target', 'measured', 'result'],
        [
          [
            `the rate limiter costs enqueue < ${percent(rateLimitTarget.maxCost)} of its req/s`,
            `${spread(costs, percentOne)}; by CPU per request ${percentOne(costByCpu)}`,
            verdict(median(costs) < rateLimitTarget.maxCost),
          ],
        ],
      ),
      '',
      `\`POST /v1/jobs/bench.noop\` flat out from ${o.connections} connections against one gateway, with two API keys of one tenant, ` +
        `${rounds} passes of ${o.durationS} s per key in turn (unlimited, limited, unlimited, …) after ${o.warmupS} s of warm-up each; ` +
        'the worker is paused, so the queue just fills. Cost: 1 − limited ÷ unlimited req/s within each round, the median (range) ' +
        "over the rounds (a negative cost is noise); by CPU: the gateway's and Redis's CPU per request, limited ÷ unlimited − 1. " +
        "On a Redis of the bench's own, so its commands and CPU are this gateway's alone.",
    ],
  };
}
