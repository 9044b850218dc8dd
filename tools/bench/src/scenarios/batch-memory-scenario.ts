import { BenchNoop } from '../bench-contracts.js';
import type { BenchRun } from '../bench-run.js';
import { benchFile } from '../child-service.js';
import { GantryStack } from '../gantry-stack.js';
import { loadAverage } from '../machine-summary.js';
import { markdownTable, num } from '../report-format.js';
import type { Section } from '../report-format.js';
import { treeRss } from '../tree-rss.js';

const title = '16. A large batch: items/s, and the memory of the gateway and the worker as it runs';
const sampleMs = 1_000;

interface Sample {
  at: string;
  seconds: number;
  done: number;
  gateway: number;
  worker: number;
  load: string;
}

/**
 * Scenario 16: one JSONL batch of `items` `bench.noop` jobs (100,000 by default; `--batch-items`), sent and
 * followed until it has ended. The gateway holds no item in memory (they stream into PostgreSQL and are fed
 * to the queue a window at a time) and the worker none past its job, so resident memory should stay flat:
 * the gateway's and the worker's (with its engine processes) are read at the start, when half the items
 * have ended, and at the end, with their peaks from a sample every second.
 */
export async function batchMemoryScenario(run: BenchRun, size: number | null): Promise<Section> {
  const items = size ?? run.scale(100_000, 2_000);
  const stack = await GantryStack.start(run, 'batch-memory', [
    { app: 'bench-worker', module: benchFile('bench-worker'), concurrency: run.cpus },
  ]);
  try {
    await stack.waitForTypes([BenchNoop.type]);
    const [worker] = stack.workers;
    if (!worker) throw new Error('the bench worker did not start');
    const headers = { authorization: stack.authorization };
    const begun = performance.now();
    const sample = async (at: string, done: number): Promise<Sample> => ({
      at,
      seconds: (performance.now() - begun) / 1_000,
      done,
      gateway: await treeRss(stack.gatewayPid),
      worker: await treeRss(worker.pid),
      load: loadAverage(),
    });
    const samples = [await sample('start', 0)];
    const peak = { gateway: samples[0]?.gateway ?? 0, worker: samples[0]?.worker ?? 0 };

    const body = Array.from({ length: items }, (_, i) => `{"n":${i}}`).join('\n');
    const res = await fetch(`${stack.url}/v1/batches?type=${BenchNoop.type}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-ndjson' },
      body,
    });
    if (res.status !== 202) throw new Error(`the batch answered ${res.status}: ${await res.text()}`);
    const { id } = (await res.json()) as { id: string };
    const acceptedS = (performance.now() - begun) / 1_000;

    let halfway = false;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, sampleMs));
      const batch = (await (await fetch(`${stack.url}/v1/batches/${id}`, { headers })).json()) as {
        status: string;
        counts: Record<string, number>;
      };
      const done = (batch.counts['succeeded'] ?? 0) + (batch.counts['failed'] ?? 0);
      const now = await sample('', done);
      peak.gateway = Math.max(peak.gateway, now.gateway);
      peak.worker = Math.max(peak.worker, now.worker);
      if (!halfway && done >= items / 2) {
        halfway = true;
        samples.push({ ...now, at: 'half the items ended' });
      }
      if (batch.status === 'succeeded') {
        samples.push({ ...now, at: 'the batch ended', done: items });
        break;
      }
      if (batch.status !== 'queued' && batch.status !== 'running') {
        throw new Error(`the batch ended ${batch.status}`);
      }
    }
    const totalS = samples[samples.length - 1]?.seconds ?? 0;
    const mib = (bytes: number) => num(bytes / 1_048_576, 0);
    return {
      title,
      lines: [
        `One JSONL batch of ${items.toLocaleString('en')} \`bench.noop\` items, ${run.cpus} worker slots; accepted (all items stored) after ${num(acceptedS, 1)} s, ended after ${num(totalS, 1)} s: **${num(items / totalS, 0)} items/s** end to end.`,
        '',
        ...markdownTable(
          ['when', 's', 'items ended', 'gateway RSS', 'worker RSS (with engines)', 'load average'],
          [
            ...samples.map((s) => [
              s.at,
              num(s.seconds, 0),
              s.done.toLocaleString('en'),
              `${mib(s.gateway)} MiB`,
              `${mib(s.worker)} MiB`,
              s.load,
            ]),
            ['peak (1 s samples)', '', '', `${mib(peak.gateway)} MiB`, `${mib(peak.worker)} MiB`, ''],
          ],
        ),
      ],
    };
  } finally {
    await stack.close();
  }
}
