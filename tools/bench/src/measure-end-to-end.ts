import { BenchNoop } from './bench-contracts.js';
import { httpLoad } from './http-load.js';

export interface EndToEnd {
  jobs: number;
  enqueueS: number;
  totalS: number;
  failed: number;
}

/** How the bench learns what a pipeline has finished: results stored so far, and failures. */
export type FinishedCount = () => Promise<{ finished: number; failed: number }>;

export const endToEndPollMs = 50;

/**
 * Posts `jobs` `bench.noop` jobs over HTTP as fast as 64 connections go (the same request to every
 * pipeline), then polls `done()` every `endToEndPollMs` until it counts them all.
 */
export async function measureEndToEnd(
  url: string,
  authorization: string | null,
  jobs: number,
  done: FinishedCount,
  timeoutMs: number,
): Promise<EndToEnd> {
  const before = await done();
  const started = performance.now();
  const load = await httpLoad({
    url,
    paths: [`/v1/jobs/${BenchNoop.type}`],
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': 'bench-[<id>]',
      ...(authorization ? { authorization } : {}),
    },
    body: JSON.stringify({ input: { n: 1 } }),
    connections: Math.min(64, jobs),
    amount: jobs,
    uniqueIds: true,
  });
  const enqueueS = (performance.now() - started) / 1_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await done();
    const finished = now.finished - before.finished;
    const failed = now.failed - before.failed;
    if (finished + failed >= load.ok) {
      return {
        jobs: finished,
        enqueueS,
        totalS: (performance.now() - started) / 1_000,
        failed: failed + load.failed,
      };
    }
    if (Date.now() > deadline)
      throw new Error(`only ${finished} of ${load.ok} jobs finished in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, endToEndPollMs));
  }
}
