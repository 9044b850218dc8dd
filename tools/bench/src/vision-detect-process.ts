/**
 * Child entry for scenario 19: the vision worker's own detector (YOLOX-Nano from the models
 * directory, one onnxruntime thread, its batch dimension freed as VISION_BATCH_MAX_SIZE=8 frees it)
 * in a process of its own, as in an engine process. It times the three stages of `detect` on one
 * image at fixed batch sizes and sends the timings back.
 */
import { readFile } from 'node:fs/promises';
import { createObjectDetector, type DetectionStages } from '@gantry/vision-worker/object-detector';

export interface DetectBenchRequest {
  modelsDir: string;
  image: string;
  batchSizes: number[];
  rounds: number;
  /** Calls per batch size per round. */
  calls: number;
}

/**
 * One batch of `size` images: prepare each (one after another) and fill the batch's tensor
 * (preprocessing), one session run, finish each. Wall
 * time, and the process's CPU time (every thread: libvips's, onnxruntime's), which a crowded machine
 * inflates far less: only one stage runs at a time, so each stage's CPU is its own.
 */
export interface CallTiming {
  size: number;
  round: number;
  preMs: number;
  inferMs: number;
  postMs: number;
  totalMs: number;
  preCpuMs: number;
  inferCpuMs: number;
  postCpuMs: number;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1_000;
};

export type DetectBenchReply =
  | { kind: 'done'; calls: CallTiming[]; labels: string[] }
  | { kind: 'failed'; message: string };

const finishOptions = { minScore: 0.3, maxDetections: 100 };

async function call(
  stages: DetectionStages,
  bytes: Buffer,
  size: number,
  round: number,
): Promise<CallTiming> {
  // Each job reads its own blob: a fresh buffer per image, so libvips never meets the same one twice.
  const uploads = Array.from({ length: size }, () => Buffer.from(bytes));
  const started = performance.now();
  const startedCpu = process.cpuUsage();
  const prepared = [];
  for (const upload of uploads) prepared.push(await stages.prepare(upload));
  const batch = stages.fill(prepared);
  const inferring = performance.now();
  const preCpuMs = cpuMs(startedCpu);
  const inferringCpu = process.cpuUsage();
  const outputs = await stages.infer(batch);
  const finishing = performance.now();
  const inferCpuMs = cpuMs(inferringCpu);
  const finishingCpu = process.cpuUsage();
  prepared.forEach((image, i) => stages.finish(image, outputs[i] as Float32Array, finishOptions));
  const postCpuMs = cpuMs(finishingCpu);
  const ended = performance.now();
  return {
    size,
    round,
    preMs: inferring - started,
    inferMs: finishing - inferring,
    postMs: ended - finishing,
    totalMs: ended - started,
    preCpuMs,
    inferCpuMs,
    postCpuMs,
  };
}

async function measure(request: DetectBenchRequest): Promise<DetectBenchReply> {
  const bytes = await readFile(request.image);
  const detector = await createObjectDetector({
    modelsDir: request.modelsDir,
    intraOpNumThreads: 1,
    maxBatchSize: Math.max(...request.batchSizes),
  });
  try {
    const { stages } = detector;
    // What is measured must detect something: the labels go into the report.
    const first = await stages.prepare(bytes);
    const [output] = await stages.infer(stages.fill([first]));
    const labels = stages.finish(first, output as Float32Array, finishOptions).map((object) => object.label);
    // Warm-up: the session's first run at each batch shape allocates its buffers.
    for (const size of request.batchSizes) for (let i = 0; i < 2; i++) await call(stages, bytes, size, -1);
    const calls: CallTiming[] = [];
    for (let round = 0; round < request.rounds; round++) {
      // The sizes take turns call by call, starting one further each round, so a slow spell hits all.
      const shift = round % request.batchSizes.length;
      const order = [...request.batchSizes.slice(shift), ...request.batchSizes.slice(0, shift)];
      for (let i = 0; i < request.calls; i++)
        for (const size of order) calls.push(await call(stages, bytes, size, round));
    }
    return { kind: 'done', calls, labels };
  } finally {
    await detector.close();
  }
}

process.once('message', (request: DetectBenchRequest) => {
  void measure(request)
    .catch(
      (error: unknown): DetectBenchReply => ({
        kind: 'failed',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
    )
    .then((reply) => process.send?.(reply, () => process.exit(0)));
});
