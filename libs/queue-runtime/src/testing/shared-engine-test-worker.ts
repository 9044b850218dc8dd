/**
 * A worker whose `test.gather` and `test.hog` jobs share engine processes (four at a time) while
 * `test.solo` keeps one of its own: real child processes, real timers and real CPU work, no model.
 */
import { fileURLToPath } from 'node:url';
import { defineJob, GantryError } from '@gantry/contracts';
import { z } from 'zod';
import { defineWorker } from '../define-worker.js';

const sharedQueue = 'runtime-test-shared';

/**
 * What a job saw of its engine process: which one, how many jobs it ran at most while this one ran,
 * and the flags it was started with.
 */
const Seen = z.object({ tag: z.string(), pid: z.number(), peers: z.number(), flags: z.array(z.string()) });

export const Gather = defineJob({
  type: 'test.gather',
  queue: sharedQueue,
  summary:
    'Waits (stopping when its signal aborts), then echoes its tag, or fails with the code given (ENGINE_CRASHED: as an engine whose inference thread died)',
  input: z.object({
    tag: z.string().max(40),
    ms: z.number().int().min(0).max(60_000),
    fail: z.enum(['VALIDATION_FAILED', 'ENGINE_CRASHED']).nullable(),
  }),
  output: Seen,
  defaults: { attempts: 1, timeoutMs: 30_000 },
});

export const Hog = defineJob({
  type: 'test.hog',
  queue: sharedQueue,
  summary: 'Burns CPU without yielding, deaf to its signal: only killing its engine process stops it',
  input: z.object({ ms: z.number().int().min(0).max(60_000) }),
  output: z.object({ pid: z.number() }),
  defaults: { attempts: 1, timeoutMs: 30_000 },
});

export const Solo = defineJob({
  type: 'test.solo',
  queue: sharedQueue,
  summary: 'Waits with an engine process of its own',
  input: z.object({ tag: z.string().max(40), ms: z.number().int().min(0).max(60_000) }),
  output: Seen,
  defaults: { attempts: 1, timeoutMs: 30_000 },
});

/** A harmless V8 flag the engine processes must start with. */
export const sharedEngineTestFlags = ['--stack-trace-limit=42'];

/** The file engine processes import. */
export const sharedEngineTestWorkerModule = fileURLToPath(import.meta.url);

/** Jobs running in this engine process now. */
let active = 0;

async function observed<T>(work: (peers: () => number) => Promise<T>): Promise<T> {
  active += 1;
  let peers = active;
  try {
    return await work(() => (peers = Math.max(peers, active)));
  } finally {
    active -= 1;
  }
}

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', stop, { once: true });
  });

export default defineWorker({
  queue: sharedQueue,
  contracts: [Gather, Hog, Solo],
  engineSharing: { types: ['test.gather', 'test.hog'], jobsPerEngine: () => 4, graceMs: 1_000 },
  engineNodeFlags: sharedEngineTestFlags,
  setup: async () => ({ engines: null, models: [] }),
}).handle({
  'test.gather': ({ tag, ms, fail }, ctx) =>
    observed(async (peers) => {
      await wait(ms, ctx.signal);
      if (fail) throw new GantryError(fail, `job ${tag} fails on purpose`);
      return { tag, pid: process.pid, peers: peers(), flags: process.execArgv };
    }),
  'test.hog': async ({ ms }) => {
    const end = Date.now() + ms;
    while (Date.now() < end) Math.sqrt(Math.random());
    return { pid: process.pid };
  },
  'test.solo': ({ tag, ms }, ctx) =>
    observed(async (peers) => {
      await wait(ms, ctx.signal);
      return { tag, pid: process.pid, peers: peers(), flags: process.execArgv };
    }),
});
