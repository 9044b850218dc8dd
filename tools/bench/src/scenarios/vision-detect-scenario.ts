import { fork } from 'node:child_process';
import path from 'node:path';
import { visionEngineNodeFlags } from '@gantry/vision-worker/engine-node-flags';
import type { BenchRun } from '../bench-run.js';
import { benchFile, childExecArgv } from '../child-service.js';
import { latencyStats } from '../latency-stats.js';
import { markdownTable, median, num, percent, type Section, spread, verdict } from '../report-format.js';
import type { CallTiming, DetectBenchReply, DetectBenchRequest } from '../vision-detect-process.js';

const batchSizes = [1, 4, 8];
/** Issue 16: preprocessing under 30 % of a detection job's time. */
const preprocessingTarget = 0.3;

/** Runs the measurement in its own process, as an engine process runs the detector, and waits for its timings. */
async function measureInChild(run: BenchRun, request: DetectBenchRequest): Promise<DetectBenchReply> {
  const child = fork(benchFile('vision-detect-process'), [], {
    env: { ...process.env, ORT_DISABLE_TELEMETRY: '1' },
    // The flags the vision worker's engine processes start with: its garbage collection is the engine's too.
    execArgv: [...childExecArgv, ...visionEngineNodeFlags],
    // The report goes to stdout: whatever the child prints goes to stderr with the bench's own progress.
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  const forget = run.onCleanup(() => {
    child.kill('SIGKILL');
    return Promise.resolve();
  });
  try {
    return await new Promise<DetectBenchReply>((resolve, reject) => {
      child.once('message', (reply: DetectBenchReply) => resolve(reply));
      child.once('exit', (code, signal) =>
        reject(new Error(`the detector process exited (${signal ?? code})`)),
      );
      child.send(request);
    });
  } finally {
    forget();
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/**
 * Scenario 19: YOLOX-Nano as the vision engine runs it (its own prepare, fill, infer and finish stages, one
 * onnxruntime thread, the batch dimension freed) at fixed batch sizes 1, 4 and 8 on dog.jpg, in a
 * process of its own, with no queue or HTTP around it: images/s, the latency of one batch call, and
 * where a detection job's time goes (preprocessing, inference, postprocessing). The sizes take turns
 * call by call within each round.
 */
export async function visionDetectScenario(run: BenchRun): Promise<Section> {
  const title =
    '19. Vision detection: YOLOX-Nano images/s at batch 1, 4 and 8, and where a detection job’s time goes';
  const rounds = run.scale(5, 2);
  const callsPerRound = run.scale(8, 3);
  const reply = await measureInChild(run, {
    modelsDir: run.env.MODELS_DIR,
    image: path.join(run.env.FIXTURES_DIR, 'images/dog.jpg'),
    batchSizes,
    rounds,
    calls: callsPerRound,
  });
  if (reply.kind === 'failed') throw new Error(`the detector failed: ${reply.message}`);

  const of = (size: number) => reply.calls.filter((call) => call.size === size);
  const sum = (calls: readonly CallTiming[], pick: (call: CallTiming) => number) =>
    calls.reduce((total, call) => total + pick(call), 0);
  const roundRates = (size: number) =>
    Array.from({ length: rounds }, (_, round) => {
      const calls = of(size).filter((call) => call.round === round);
      return (calls.length * size * 1_000) / sum(calls, (call) => call.totalMs);
    });
  const single = roundRates(1);
  const shares = new Map<number, number>();
  const cpuShares = new Map<number, number>();
  const rows = batchSizes.map((size) => {
    const calls = of(size);
    const images = calls.length * size;
    const latency = latencyStats(calls.map((call) => call.totalMs));
    const share = sum(calls, (call) => call.preMs) / sum(calls, (call) => call.totalMs);
    const cpuShare =
      sum(calls, (call) => call.preCpuMs) /
      sum(calls, (call) => call.preCpuMs + call.inferCpuMs + call.postCpuMs);
    shares.set(size, share);
    cpuShares.set(size, cpuShare);
    const rates = roundRates(size);
    const perImage = (pick: (call: CallTiming) => number) => num(sum(calls, pick) / images, 1);
    return [
      String(size),
      num(median(rates), 1),
      size === 1
        ? '1×'
        : spread(
            rates.map((rate, round) => rate / (single[round] ?? NaN)),
            (r) => `${num(r, 2)}×`,
          ),
      num(latency.p50, 0),
      num(latency.p99, 0),
      `${perImage((call) => call.preMs)} / ${perImage((call) => call.inferMs)} / ${perImage((call) => call.postMs)}`,
      `${perImage((call) => call.preCpuMs)} / ${perImage((call) => call.inferCpuMs)} / ${perImage((call) => call.postCpuMs)}`,
      `${percent(share)}; ${percent(cpuShare)}`,
    ];
  });
  const range = (values: Map<number, number>) =>
    `${percent(Math.min(...values.values()))}–${percent(Math.max(...values.values()))}`;
  return {
    title,
    lines: [
      ...markdownTable(
        [
          'batch',
          'images/s (median of rounds)',
          '÷ batch 1 in the round',
          'call p50 ms',
          'call p99 ms',
          'ms per image: pre / inference / post',
          'CPU ms per image: pre / inference / post',
          'preprocessing share: time; CPU',
        ],
        rows,
      ),
      '',
      `- Preprocessing (decode, EXIF orientation, letterbox, tensor fill) takes ${range(shares)} of a detection ` +
        `job's time across the batch sizes, ${range(cpuShares)} of its CPU time; target < ${percent(preprocessingTarget)} ` +
        `at every size: ${verdict(Math.max(...shares.values()) < preprocessingTarget)} by time, ` +
        `${verdict(Math.max(...cpuShares.values()) < preprocessingTarget)} by CPU (the steadier on a crowded machine).`,
      `- ${rounds} rounds × ${callsPerRound} calls per batch size (${rounds * callsPerRound} calls each), after 2 warm-up ` +
        'calls per size; the sizes take turns call by call, the first one shifting each round.',
      '- One call: the batch’s images decoded one after another and filled into the batch’s input tensor ' +
        '(preprocessing), one `session.run` over them, each output decoded and NMS-ed; p50/p99 are of the whole ' +
        'call (a job in a batch of 8 waits for all 8).',
      `- images/dog.jpg (768×576) in every slot; it detects ${[...new Set(reply.labels)].join(', ')}. ` +
        'YOLOX-Nano 416×416 from the models directory, onnxruntime intra-op threads 1, as in the vision worker; ' +
        'in a child process, no queue or HTTP (scenario 15 measures through the stack).',
    ],
  };
}
