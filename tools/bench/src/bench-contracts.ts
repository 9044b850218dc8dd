import { defineJob } from '@gantry/contracts';
import { z } from 'zod';

/** Job types that exist only to measure the platform: they do (almost) nothing, so Gantry's own cost shows. */
export const benchQueue = 'bench';

export const BenchNoop = defineJob({
  type: 'bench.noop',
  queue: benchQueue,
  summary: 'Returns at once: measures the platform around a job, not the job',
  input: z.object({ n: z.number().int().min(0) }),
  output: z.object({ n: z.number() }),
  defaults: { attempts: 1, timeoutMs: 30_000 },
});

export const BenchSpin = defineJob({
  type: 'bench.spin',
  queue: benchQueue,
  summary: 'Keeps one core busy for `ms` milliseconds without yielding',
  input: z.object({ ms: z.number().int().min(0).max(60_000) }),
  output: z.object({ spun_ms: z.number() }),
  defaults: { attempts: 1, timeoutMs: 90_000 },
});

export const benchContracts = [BenchNoop, BenchSpin] as const;
