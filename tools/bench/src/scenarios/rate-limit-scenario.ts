import { BenchNoop } from '../bench-contracts.js';
import { BenchRedis } from '../bench-redis.js';
import type { BenchRun } from '../bench-run.js';
import { benchFile } from '../child-service.js';
import { GantryStack } from '../gantry-stack.js';
import { type RateLimitOptions, type RateLimitResults, rateLimitReport } from '../rate-limit-report.js';
import type { Section } from '../report-format.js';
import { measureEnqueue } from '../seed-stack-measures.js';

/**
 * Scenario 9: what the per-key rate limiter (a token bucket script in Redis) costs enqueue. One gateway,
 * two keys: one unlimited, for which the limiter is skipped, and one whose limit is so high that the
 * limiter runs on every request and never refuses. On a Redis of the bench's own, as the seed-stack scenario.
 */
export async function rateLimitScenario(
  run: BenchRun,
  options?: Partial<RateLimitOptions>,
): Promise<Section> {
  const o: RateLimitOptions = {
    rounds: run.scale(3, 2),
    connections: 64,
    durationS: run.scale(5, 2),
    warmupS: run.scale(2, 1),
    ratePerSecond: 1_000_000,
    burst: 1_000_000,
    ...options,
  };
  const title = `9. Rate limiter's cost on enqueue (${o.connections} connections, ${o.rounds} × ${o.durationS} s per key)`;
  if (!BenchRedis.available()) {
    return {
      title,
      lines: [
        'Skipped: `redis-server` is not on PATH (this scenario reads commands and CPU from a Redis of its own).',
      ],
    };
  }
  const redis = await BenchRedis.start();
  const forgetRedis = run.onCleanup(() => redis.stop());
  const local = run.onRedis(redis.url);
  try {
    const gantry = await GantryStack.start(local, 'rate-limit', [
      { app: 'bench-worker', module: benchFile('bench-worker'), concurrency: 1, paused: true },
    ]);
    try {
      await gantry.waitForTypes([BenchNoop.type]);
      const server = () => Promise.resolve([gantry.gatewayPid]);
      const keys = {
        unlimited: gantry.authorization,
        limited: await gantry.addKey('bench-limited', {
          rate_limit_per_s: o.ratePerSecond,
          rate_limit_burst: o.burst,
        }),
      };
      const results: RateLimitResults = { unlimited: [], limited: [] };
      for (let round = 0; round < o.rounds; round += 1) {
        for (const side of ['unlimited', 'limited'] as const) {
          const target = { url: gantry.url, authorization: keys[side], server };
          results[side].push(await measureEnqueue(o, redis, target, round === 0));
        }
      }
      return rateLimitReport(title, o, results);
    } finally {
      await gantry.close();
    }
  } finally {
    // The stack's keys go while its Redis still answers.
    await local.cleanup();
    forgetRedis();
    await redis.stop();
  }
}
