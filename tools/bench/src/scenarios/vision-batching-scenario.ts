import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BenchRun } from '../bench-run.js';
import { closedLoop } from '../closed-loop.js';
import { GantryStack, type WorkerSpec } from '../gantry-stack.js';
import { runJob } from '../job-client.js';
import { latencyStats } from '../latency-stats.js';
import { machineCoresBusy } from '../machine-cpu.js';
import { markdownTable, median, num, type Section, spread, verdict } from '../report-format.js';

const clients = 8;
const target = 1.5;

/** The two vision workers compared: one engine process each, one onnxruntime thread. */
const variants = [
  {
    name: 'batched',
    what: 'VISION_BATCH_MAX_SIZE=8 (VISION_ENGINE_CONCURRENCY 8): jobs share the engine and its batches',
    env: { VISION_BATCH_MAX_SIZE: '8', VISION_ENGINE_CONCURRENCY: '8' },
  },
  {
    name: 'batch 1',
    what: 'VISION_BATCH_MAX_SIZE=1 (VISION_ENGINE_CONCURRENCY 1): one job at a time, as before',
    env: { VISION_BATCH_MAX_SIZE: '1' },
  },
] as const;

/**
 * Scenario 15: `vision.detect` through the stack from 8 clients (closed loop, `Prefer: wait`) on one
 * vision engine process, with micro-batching across jobs on and off. The two workers take turns in the
 * same run, the order swapped each round, so a slow spell of the shared machine hits both.
 */
export async function visionBatchingScenario(run: BenchRun): Promise<Section> {
  const title =
    '15. Vision micro-batching: `vision.detect` images/s at 8 concurrent jobs, batched vs batch 1';
  const module = run.appWorkerModule('vision');
  if (!module)
    return { title, lines: ['Skipped: apps/vision has no built worker module (run the build first).'] };
  const bytes = await readFile(path.join(run.env.FIXTURES_DIR, 'images/dog.jpg'));
  const request = { input: { min_score: 0.3 }, file: { bytes, filename: 'dog.jpg' } };
  const rounds = run.scale(5, 3);
  const jobs = run.scale(160, 48);
  const rates = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  const latencies = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  const ratios: number[] = [];
  const coresBusy = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  const cpuMsPerJob = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  const stack = await GantryStack.start(run, 'vbatch', []);
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      const perRound = new Map<string, number>();
      for (const variant of order) {
        const spec: WorkerSpec = { app: 'vision-worker', module, concurrency: 1, env: { ...variant.env } };
        const worker = await stack.startWorker(spec);
        try {
          await stack.waitForTypes(['vision.detect']);
          // Warm-up: the engine's first runs, and the gateway's first requests.
          await closedLoop({ concurrency: clients, count: clients * 2 }, () =>
            runJob(stack, 'vision.detect', request),
          );
          const busy = await machineCoresBusy();
          const { results, wallMs } = await closedLoop({ concurrency: clients, count: jobs }, () =>
            runJob(stack, 'vision.detect', request),
          );
          const cores = await busy();
          if (cores !== null) {
            coresBusy.get(variant.name)?.push(cores);
            cpuMsPerJob.get(variant.name)?.push((cores * wallMs) / jobs);
          }
          const failed = results.find((result) => !result.ok);
          if (failed) throw new Error(`vision.detect failed: ${JSON.stringify(failed.error)}`);
          const rate = (results.length / wallMs) * 1_000;
          perRound.set(variant.name, rate);
          rates.get(variant.name)?.push(rate);
          latencies.get(variant.name)?.push(...results.map((result) => result.latencyMs));
        } finally {
          await stack.stopWorker(worker);
        }
      }
      ratios.push((perRound.get('batched') ?? 0) / (perRound.get('batch 1') ?? 1));
    }
  } finally {
    await stack.close();
  }
  const rows = variants.map((variant) => {
    const latency = latencyStats(latencies.get(variant.name) ?? []);
    return [
      variant.name,
      num(median(rates.get(variant.name) ?? []), 1),
      num(latency.p50, 0),
      num(latency.p99, 0),
      spread(coresBusy.get(variant.name) ?? [], (value) => num(value, 2)),
      spread(cpuMsPerJob.get(variant.name) ?? [], (value) => num(value, 1)),
    ];
  });
  const busyOf = (name: string) => median(coresBusy.get(name) ?? []);
  const cpuOf = (name: string) => median(cpuMsPerJob.get(name) ?? []);
  // images/s = cores busy ÷ CPU per job, so the ratio is the product of the two ratios below; with every
  // CPU busy at the batched side's CPU per job, it could reach the ceiling.
  const moreCores = busyOf('batched') / busyOf('batch 1');
  const lessCpu = cpuOf('batch 1') / cpuOf('batched');
  const ceiling = (run.cpus / busyOf('batch 1')) * lessCpu;
  return {
    title,
    lines: [
      ...markdownTable(
        [
          'worker',
          'images/s (median of rounds)',
          'p50 ms',
          'p99 ms',
          'machine cores busy',
          'machine CPU ms per job',
        ],
        rows,
      ),
      '',
      `- batched ÷ batch 1, images/s within a round: ${spread(ratios, (value) => `${num(value, 2)}×`)} over ` +
        `${rounds} rounds; target ≥ ${target}×: ${verdict(median(ratios) >= target)}.`,
      `- Where the ratio comes from (machine cores busy and CPU per job: every process on the machine, from ` +
        `/proc/stat, over each measured pass; medians): batched keeps ${num(moreCores, 2)}× the cores busy at ` +
        `${num(1 / lessCpu, 2)}× the CPU per job of batch 1. With all ${run.cpus} CPUs busy at the batched side's CPU per job ` +
        `the ratio could reach ${num(ceiling, 2)}×.`,
      `- ${jobs} jobs per worker per round from ${clients} clients (closed loop, \`Prefer: wait\`), after ${clients * 2} ` +
        'warm-up jobs; images/dog.jpg (768×576) uploaded with each job; latency is the client’s (request → result).',
      ...variants.map((variant) => `- ${variant.name}: ${variant.what}; WORKER_CONCURRENCY=1.`),
    ],
  };
}
