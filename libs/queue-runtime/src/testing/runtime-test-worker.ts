/** A worker with test-only job types: real child processes, real CPU work, no model. */
import { createHash } from 'node:crypto';
import { BlobRef, defineJob, GantryError } from '@gantry/contracts';
import { z } from 'zod';
import { defineWorker } from '../define-worker.js';

export const queue = 'runtime-test';

export const Sleep = defineJob({
  type: 'test.sleep',
  queue,
  summary: 'Waits, reporting progress',
  input: z.object({
    ms: z.number().int().min(0).max(60_000),
    /** Progress reported all at once before the sleep, as a handler that races through a phase does. */
    burst: z.array(z.number().min(0).max(99)).max(10).optional(),
  }),
  output: z.object({ slept_ms: z.number(), pid: z.number() }),
  defaults: { attempts: 1, timeoutMs: 30_000 },
});

export const Spin = defineJob({
  type: 'test.spin',
  queue,
  summary: 'Burns CPU in a loop that never yields: only killing the process stops it',
  input: z.object({ ms: z.number().int().min(0) }),
  output: z.object({ pid: z.number() }),
  defaults: { attempts: 1, timeoutMs: 1_500 },
});

export const Flaky = defineJob({
  type: 'test.flaky',
  queue,
  summary:
    'Fails with the given error on its first attempt (ENGINE_CRASHED: as an engine whose inference thread died)',
  input: z.object({ code: z.enum(['HANDLER_FAILED', 'VALIDATION_FAILED', 'ENGINE_CRASHED']) }),
  output: z.object({ attempt: z.number() }),
  defaults: { attempts: 3, backoffMs: 50 },
});

export const Checksum = defineJob({
  type: 'test.checksum',
  queue,
  summary: 'Reads an uploaded file in the engine process and hashes it',
  input: z.object({ file: BlobRef, note: z.string().max(20).optional() }),
  output: z.object({ sha256: z.string(), size: z.number() }),
  accepts: ['image/png', 'image/jpeg', 'text/plain'],
  defaults: { attempts: 1 },
});

export const runtimeTestContracts = [Sleep, Spin, Flaky, Checksum] as const;

export default defineWorker({
  queue,
  contracts: runtimeTestContracts,
  async setup() {
    return {
      engines: { startedAt: Date.now() },
      models: [{ name: 'test-engine', version: '1', sha256: null }],
    };
  },
}).handle({
  'test.sleep': async ({ ms, burst }, ctx) => {
    for (const pct of burst ?? []) ctx.progress(pct, 'burst');
    const steps = 4;
    for (let i = 1; i <= steps; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, ms / steps));
      ctx.progress((i / steps) * 100, `step ${i}`);
    }
    return { slept_ms: ms, pid: process.pid };
  },
  'test.spin': async ({ ms }) => {
    const end = Date.now() + ms;
    while (Date.now() < end) Math.sqrt(Math.random());
    return { pid: process.pid };
  },
  'test.checksum': async ({ file }, ctx) => {
    const bytes = await ctx.readBlob(file);
    return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
  },
  'test.flaky': async ({ code }, ctx) => {
    if (ctx.attempt === 1) throw new GantryError(code, `attempt ${ctx.attempt} fails`);
    return { attempt: ctx.attempt };
  },
});
