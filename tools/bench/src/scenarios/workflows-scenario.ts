import { BenchNoop } from '../bench-contracts.js';
import type { BenchRun } from '../bench-run.js';
import { benchFile } from '../child-service.js';
import { GantryStack } from '../gantry-stack.js';
import { markdownTable, num, type Section } from '../report-format.js';

const title = '10. Workflows: pipeline overhead per step, batch items/s and gateway memory';
const pollMs = 10;

/**
 * Scenario 10: a pipeline of `steps` chained `bench.noop` jobs against the same number of single jobs run one
 * after another (each with `Prefer: wait`), one at a time, so the difference is what a pipeline adds per step
 * (its looks, the derived step ids, the BullMQ parent wake-up); then a batch of `bench.noop` items sent as
 * JSONL, until the batch has ended, with the gateway's resident memory sampled as it runs.
 */
export async function workflowsScenario(run: BenchRun): Promise<Section> {
  const runs = run.scale(20, 3);
  const steps = 4;
  const items = run.scale(100_000, 2_000);
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

    const rssBefore = (await stack.gatewayStats()).rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      void stack.gatewayStats().then(
        (stats) => (rssPeak = Math.max(rssPeak, stats.rss)),
        () => undefined,
      );
    }, 500);
    const begun = performance.now();
    let batchS = 0;
    try {
      const body = Array.from({ length: items }, (_, n) => `{"n":${n}}`).join('\n');
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
      batchS = (performance.now() - begun) / 1_000;
    } finally {
      clearInterval(sampler);
    }
    const mib = (bytes: number) => num(bytes / 1_048_576, 0);
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
              `batch of ${items} \`bench.noop\` items (JSONL) until it ended`,
              `${num(batchS, 1)} s, ${num(items / batchS, 0)} items/s`,
            ],
            ['gateway RSS before the batch → peak while it ran', `${mib(rssBefore)} → ${mib(rssPeak)} MiB`],
          ],
        ),
      ],
    };
  } finally {
    await stack.close();
  }
}
