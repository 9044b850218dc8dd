import { randomUUID } from 'node:crypto';
import { BenchNoop } from './bench-contracts.js';
import { CpuMeter, type PidSource } from './cpu-meter.js';
import { httpLoad, type HttpLoadResult } from './http-load.js';
import { type EndToEnd, type FinishedCount, measureEndToEnd } from './measure-end-to-end.js';
import { pacedLoad } from './paced-load.js';
import { commandsPerJob, redisCommands, redisKeyBytes } from './redis-footprint.js';

export interface SeedStackOptions {
  connections: number;
  durationS: number;
  warmupS: number;
  /** The even rate of the latency measurement. */
  pacedRate: number;
  jobs: number;
  warmupJobs: number;
}

/** Process groups whose CPU the per-job table shows, in its order. */
export const cpuColumns = ['server', 'worker', 'engines', 'redis', 'postgres', 'bench'] as const;
export type CpuColumn = (typeof cpuColumns)[number];

/** One stack as the end-to-end measurement sees it. */
export interface Pipeline {
  url: string;
  authorization: string | null;
  done: FinishedCount;
  /** Its HTTP server, its worker's main process, the worker's child processes, its PostgreSQL backends. */
  processes: Record<'server' | 'worker' | 'engines' | 'postgres', PidSource>;
  /** Failures known only once every result is in (Celery's results are read once, at the end). */
  failedAtEnd?: () => Promise<number>;
  close(): Promise<void>;
}

export interface PerJob {
  run: EndToEnd;
  /** CPU µs per job by process group: null where the group has no process, or /proc cannot be read. */
  cpuUs: Record<CpuColumn, number | null>;
  redisBytes: number;
  redisKeys: number;
  /** Commands per job (a script's own calls included), the scripts among them, and the most frequent. */
  redisCommands: ReturnType<typeof commandsPerJob>;
}

export interface Enqueued {
  load: HttpLoadResult;
  paced: HttpLoadResult;
  serverCpuUs: number | null;
  redisCommands: ReturnType<typeof commandsPerJob>;
}

/** The bench's own Redis, whose counters are a pipeline's alone while it runs. */
export interface MeasuredRedis {
  url: string;
  pid: number;
}

/** Flat out at `connections`, then at an even `pacedRate`: the requests of scenario 1. */
export async function measureEnqueue(
  o: SeedStackOptions,
  redis: MeasuredRedis,
  target: { url: string; authorization: string | null; server: PidSource },
): Promise<Enqueued> {
  const body = JSON.stringify({ input: { n: 1 } });
  const auth: Record<string, string> = target.authorization ? { authorization: target.authorization } : {};
  const load = (durationS: number) =>
    httpLoad({
      url: target.url,
      paths: [`/v1/jobs/${BenchNoop.type}`],
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'bench-[<id>]', ...auth },
      body,
      connections: o.connections,
      durationS,
      uniqueIds: true,
    });
  await load(o.warmupS);
  const before = await redisCommands(redis.url);
  const meter = await CpuMeter.start({ server: target.server });
  const measured = await load(o.durationS);
  const cpu = await meter.stop();
  const after = await redisCommands(redis.url);
  const paced = await pacedLoad({
    url: `${target.url}/v1/jobs/${BenchNoop.type}`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    request: () => ({ headers: { 'idempotency-key': `bench-${randomUUID()}` }, body }),
    ratePerSecond: o.pacedRate,
    durationS: o.durationS,
  });
  const serverMs = cpu['server'] ?? null;
  return {
    load: measured,
    paced,
    serverCpuUs: serverMs === null ? null : (serverMs * 1_000) / measured.ok,
    redisCommands: commandsPerJob(before, after, measured.ok),
  };
}

/** Warm-up jobs, then the measured ones with CPU per process and Redis counters around them. */
export async function measurePipeline(
  o: SeedStackOptions,
  redis: MeasuredRedis,
  start: () => Promise<Pipeline>,
): Promise<PerJob> {
  const timeoutMs = 180_000;
  const pipeline = await start();
  try {
    const { url, authorization, done } = pipeline;
    await measureEndToEnd(url, authorization, o.warmupJobs, done, timeoutMs);
    const keptBefore = await redisKeyBytes(redis.url);
    const commandsBefore = await redisCommands(redis.url);
    const meter = await CpuMeter.start({
      ...pipeline.processes,
      redis: () => Promise.resolve([redis.pid]),
      bench: () => Promise.resolve([process.pid]),
    });
    const measured = await measureEndToEnd(url, authorization, o.jobs, done, timeoutMs);
    const cpu = await meter.stop();
    // What a pipeline does once the result is stored (the recorder acknowledging its batch, say)
    // belongs to the job as well: Redis is read a moment later, once it has settled.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const commandsAfter = await redisCommands(redis.url);
    const keptAfter = await redisKeyBytes(redis.url);
    if (pipeline.failedAtEnd) {
      const failed = await pipeline.failedAtEnd();
      measured.failed += failed;
      measured.jobs -= failed;
    }
    const perJob = (value: number) => value / o.jobs;
    const cpuUs = Object.fromEntries(
      cpuColumns.map((column) => {
        const ms = cpu[column] ?? null;
        return [column, ms === null ? null : perJob(ms * 1_000)];
      }),
    ) as Record<CpuColumn, number | null>;
    return {
      run: measured,
      cpuUs,
      redisBytes: perJob(keptAfter.bytes - keptBefore.bytes),
      redisKeys: perJob(keptAfter.keys - keptBefore.keys),
      redisCommands: commandsPerJob(commandsBefore, commandsAfter, o.jobs),
    };
  } finally {
    await pipeline.close();
  }
}
