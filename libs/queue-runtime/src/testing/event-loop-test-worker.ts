/** A worker whose test job types run in the worker's own event loop (`runs: 'event-loop'`). */
import { defineJob, GantryError } from '@gantry/contracts';
import { z } from 'zod';
import { defineWorker } from '../define-worker.js';

const eventLoopQueue = 'runtime-test-event-loop';

export const Wait = defineJob({
  type: 'test.wait',
  queue: eventLoopQueue,
  summary: 'Awaits a timer (as a network call would), reporting progress; stops when its signal aborts',
  runs: 'event-loop',
  input: z.object({ ms: z.number().int().min(0).max(60_000) }),
  output: z.object({ waited_ms: z.number(), pid: z.number() }),
  defaults: { attempts: 1, timeoutMs: 1_500 },
});

export const Stubborn = defineJob({
  type: 'test.stubborn',
  queue: eventLoopQueue,
  summary: 'Awaits a timer and ignores its signal: the runtime must end the job anyway',
  runs: 'event-loop',
  input: z.object({ ms: z.number().int().min(0).max(60_000) }),
  output: z.object({ pid: z.number() }),
  defaults: { attempts: 1, timeoutMs: 1_500 },
});

export const FlakyStep = defineJob({
  type: 'test.flaky-step',
  queue: eventLoopQueue,
  summary: 'Fails with a retryable error on its first attempt',
  runs: 'event-loop',
  input: z.object({}),
  output: z.object({ attempt: z.number() }),
  defaults: { attempts: 2, backoffMs: 50 },
});

/** Handlers that saw their signal abort, by job id: the polite stop reached them. */
export const abortedJobs = new Set<string>();

export const eventLoopTestWorker = defineWorker({
  queue: eventLoopQueue,
  contracts: [Wait, Stubborn, FlakyStep],
  setup: async () => ({ engines: null, models: [] }),
}).handle({
  'test.wait': async ({ ms }, ctx) => {
    ctx.signal.addEventListener('abort', () => abortedJobs.add(ctx.jobId), { once: true });
    ctx.progress(50, 'half way');
    await new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      const stop = () => {
        clearTimeout(timer);
        reject(ctx.signal.reason as Error);
      };
      ctx.signal.addEventListener('abort', stop, { once: true });
    });
    return { waited_ms: ms, pid: process.pid };
  },
  'test.stubborn': async ({ ms }) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { pid: process.pid };
  },
  'test.flaky-step': async (_input, ctx) => {
    if (ctx.attempt === 1) throw new GantryError('HANDLER_FAILED', 'first attempt fails');
    return { attempt: ctx.attempt };
  },
});
