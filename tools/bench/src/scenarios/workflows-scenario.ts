import { BenchNoop } from '../bench-contracts.js';
import type { BenchRun } from '../bench-run.js';
import { benchFile } from '../child-service.js';
import { GantryStack } from '../gantry-stack.js';
import { markdownTable, num, type Section } from '../report-format.js';

const title = '10. Workflows: pipeline overhead per step, batch vs single jobs items/s';
const pollMs = 10;

/**
 * Scenario 10: a pipeline of `steps` chained `bench.noop` jobs against the same number of single jobs run one
 * after another (each with `Prefer: wait`), one at a time, so the difference is what a pipeline adds per step
 * (its looks, the derived step ids, the BullMQ parent wake-up); then the same items as one JSONL batch and
 * as single jobs from a client's concurrent loops, in turn, on the same worker slots (what a batch saves).
 * A large batch's memory profile is scenario 14's (batch-memory).
 */
export async function workflowsScenario(run: BenchRun): Promise<Section> {
  const runs = run.scale(20, 3);
  const steps = 4;
  const compared = run.scale(10_000, 500);
  const rounds = run.scale(3, 1);
  // A client keeping this many jobs in flight keeps every worker slot busy despite the HTTP round trips.
  const clients = 32;
  const stack = await GantryStack.start(run, 'workflows', [
    { app: 'bench-worker', module: benchFile('bench-worker'), concurrency: run.cpus },
  ]);
  try {
    await stack.waitForTypes([BenchNoop.type]);
    const call = (route: string, init: RequestInit & { type?: string } = {}) =>
      fetch(`${stack.url}${route}`, {
        ...init,
        headers: {
          authorization: stack.authorization,
          'content-type': init.type ?? 'application/json',
          prefer: 'wait=60',
        },
      });
    const singleMs: number[] = [];
    const pipelineMs: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const started = performance.now();
      for (let s = 0; s < steps; s += 1) {
        const res = await call(`/v1/jobs/${BenchNoop.type}`, {
          method: 'POST',
          body: JSON.stringify({ input: { n: s } }),
        });
        if (res.status !== 200) throw new Error(`a single job answered ${res.status}`);
      }
      singleMs.push(performance.now() - started);

      const begun = performance.now();
      const chain = Array.from({ length: steps }, (_, s) => ({
        id: `s${s}`,
        type: BenchNoop.type,
        input: { n: s === 0 ? 0 : `$steps.s${s - 1}.output.n` },
      }));
      const res = await call('/v1/pipelines', {
        method: 'POST',
        body: JSON.stringify({ input: {}, pipeline: { steps: chain } }),
      });
      const { id } = (await res.json()) as { id: string };
      for (;;) {
        const runNow = (await (await call(`/v1/pipeline-runs/${id}`)).json()) as { status: string };
        if (runNow.status === 'succeeded') break;
        if (!['queued', 'running'].includes(runNow.status))
          throw new Error(`a pipeline run ended ${runNow.status}`);
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
      pipelineMs.push(performance.now() - begun);
    }
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const perStep = (median(pipelineMs) - median(singleMs)) / steps;

    /** A JSONL batch of `n` `bench.noop` items, sent and polled until it has ended: seconds. */
    const timeBatch = async (n: number): Promise<number> => {
      const begun = performance.now();
      const body = Array.from({ length: n }, (_, i) => `{"n":${i}}`).join('\n');
      const res = await call(`/v1/batches?type=${BenchNoop.type}`, {
        method: 'POST',
        body,
        type: 'application/x-ndjson',
      });
      if (res.status !== 202) throw new Error(`the batch answered ${res.status}: ${await res.text()}`);
      const { id } = (await res.json()) as { id: string };
      for (;;) {
        const batch = (await (await call(`/v1/batches/${id}`)).json()) as { status: string };
        if (batch.status === 'succeeded') break;
        if (batch.status !== 'queued' && batch.status !== 'running')
          throw new Error(`the batch ended ${batch.status}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return (performance.now() - begun) / 1_000;
    };
    /** The same `n` items as single jobs from `clients` loops, each waiting for its job (`Prefer: wait`). */
    const timeSingles = async (n: number): Promise<number> => {
      const begun = performance.now();
      let next = 0;
      const client = async () => {
        for (let i = next++; i < n; i = next++) {
          const res = await call(`/v1/jobs/${BenchNoop.type}`, {
            method: 'POST',
            body: JSON.stringify({ input: { n: i } }),
          });
          if (res.status !== 200) throw new Error(`a single job answered ${res.status}`);
          await res.arrayBuffer();
        }
      };
      await Promise.all(Array.from({ length: clients }, client));
      return (performance.now() - begun) / 1_000;
    };
    // Batch vs singles: the same items, alternating, the ratio taken within each round.
    const compareS = { batch: [] as number[], singles: [] as number[] };
    for (let round = 0; round < rounds; round += 1) {
      compareS.singles.push(await timeSingles(compared));
      compareS.batch.push(await timeBatch(compared));
    }
    const ratios = compareS.batch.map((batchS, i) => (compareS.singles[i] ?? 0) / batchS);

    return {
      title,
      lines: [
        ...markdownTable(
          ['measure', 'value'],
          [
            [
              `${steps} single jobs one after another (\`Prefer: wait\`), median of ${runs}`,
              `${num(median(singleMs), 1)} ms`,
            ],
            [
              `a pipeline of ${steps} chained steps, until GET says succeeded, median of ${runs}`,
              `${num(median(pipelineMs), 1)} ms`,
            ],
            ['pipeline overhead per step', `${num(perStep, 1)} ms`],
            [
              `${compared} single jobs from ${clients} clients (\`Prefer: wait\`), median of ${rounds}`,
              `${num(compared / median(compareS.singles), 0)} items/s`,
            ],
            [
              `the same ${compared} items as one JSONL batch, median of ${rounds}`,
              `${num(compared / median(compareS.batch), 0)} items/s`,
            ],
            [
              'batch ÷ single jobs, items/s (per round, the same worker slots)',
              `${num(median(ratios), 2)}× (${num(Math.min(...ratios), 2)}–${num(Math.max(...ratios), 2)})`,
            ],
          ],
        ),
      ],
    };
  } finally {
    await stack.close();
  }
}
