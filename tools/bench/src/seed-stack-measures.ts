import { BenchNoop } from './bench-contracts.js';
import { CpuMeter, type PidSource } from './cpu-meter.js';
import { httpLoad, type HttpLoadResult } from './http-load.js';
import { type EndToEnd, type FinishedCount, measureEndToEnd } from './measure-end-to-end.js';
import { pacedLoad } from './paced-load.js';
import { commandDelta, redisCommands, redisKeyBytes } from './redis-footprint.js';

export interface SeedStackOptions {
  /** Measured passes of each pipeline, in a rotated order, so that a slow spell of a shared machine hits all. */
  rounds: number;
  connections: number;
  /** Flat-out enqueue, per pass. */
  durationS: number;
  warmupS: number;
  /** The even rate of the latency measurement, and how long it runs (once per server). */
  pacedRate: number;
  pacedS: number;
  /** End-to-end jobs per pass. */
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
}

/** One measured pass of a pipeline: the run, and what it cost in CPU and Redis. */
export interface Pass {
  run: EndToEnd;
  cpuMs: Record<CpuColumn, number | null>;
  keptBytes: number;
  keptKeys: number;
  commands: Map<string, number>;
}

export interface EnqueuePass {
  load: HttpLoadResult;
  serverCpuMs: number | null;
  redisCpuMs: number | null;
  commands: Map<string, number>;
}

/** CPU µs per accepted request over the passes; null where it could not be read. */
export function cpuPerRequest(
  passes: readonly EnqueuePass[],
  cpuMs: (pass: EnqueuePass) => number | null,
): number | null {
  const values = passes.map(cpuMs);
  if (values.includes(null)) return null;
  const accepted = passes.reduce((sum, p) => sum + p.load.ok, 0);
  return (values.reduce((sum: number, v) => sum + (v ?? 0), 0) * 1_000) / accepted;
}

/** The bench's own Redis, whose counters are a pipeline's alone while it runs. */
export interface MeasuredRedis {
  url: string;
  pid: number;
}

const requestBody = JSON.stringify({ input: { n: 1 } });

/** A server that accepts `POST /v1/jobs/bench.noop`, and its process. */
export interface EnqueueTarget {
  url: string;
  authorization: string | null;
  server: PidSource;
}

/** Flat out at `connections` for `durationS` (after `warmupS` when asked): the requests of scenario 1. */
export async function measureEnqueue(
  o: Pick<SeedStackOptions, 'connections' | 'durationS' | 'warmupS'>,
  redis: MeasuredRedis,
  target: EnqueueTarget,
  warmUp: boolean,
): Promise<EnqueuePass> {
  const load = (durationS: number) =>
    httpLoad({
      url: target.url,
      paths: [`/v1/jobs/${BenchNoop.type}`],
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': 'bench-[<id>]',
        ...(target.authorization ? { authorization: target.authorization } : {}),
      },
      body: requestBody,
      connections: o.connections,
      durationS,
      uniqueIds: true,
    });
  if (warmUp) await load(o.warmupS);
  const before = await redisCommands(redis.url);
  const meter = await CpuMeter.start({ server: target.server, redis: () => Promise.resolve([redis.pid]) });
  const measured = await load(o.durationS);
  const cpu = await meter.stop();
  const after = await redisCommands(redis.url);
  return {
    load: measured,
    serverCpuMs: cpu['server'] ?? null,
    redisCpuMs: cpu['redis'] ?? null,
    commands: commandDelta(before, after),
  };
}

/** Latency of one request at an even `pacedRate`, open loop. */
export function measurePaced(
  o: SeedStackOptions,
  target: { url: string; authorization: string | null },
): Promise<HttpLoadResult> {
  return pacedLoad({
    url: `${target.url}/v1/jobs/${BenchNoop.type}`,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(target.authorization ? { authorization: target.authorization } : {}),
    },
    body: requestBody,
    idempotencyKeys: true,
    ratePerSecond: o.pacedRate,
    durationS: o.pacedS,
  });
}

const timeoutMs = 180_000;

export async function warmUpPipeline(o: SeedStackOptions, pipeline: Pipeline): Promise<void> {
  await measureEndToEnd(pipeline.url, pipeline.authorization, o.warmupJobs, pipeline.done, timeoutMs);
}

/** `jobs` jobs end to end, with CPU per process over them and Redis read before and after. */
export async function measurePass(
  o: SeedStackOptions,
  redis: MeasuredRedis,
  pipeline: Pipeline,
): Promise<Pass> {
  const keptBefore = await redisKeyBytes(redis.url);
  const commandsBefore = await redisCommands(redis.url);
  const meter = await CpuMeter.start({
    ...pipeline.processes,
    redis: () => Promise.resolve([redis.pid]),
    bench: () => Promise.resolve([process.pid]),
  });
  const run = await measureEndToEnd(pipeline.url, pipeline.authorization, o.jobs, pipeline.done, timeoutMs);
  const cpu = await meter.stop();
  // What a pipeline does once the result is stored (the recorder acknowledging its batch, say)
  // belongs to the job as well: Redis is read a moment later, once it has settled.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const commandsAfter = await redisCommands(redis.url);
  const keptAfter = await redisKeyBytes(redis.url);
  return {
    run,
    cpuMs: Object.fromEntries(cpuColumns.map((column) => [column, cpu[column] ?? null])) as Pass['cpuMs'],
    keptBytes: keptAfter.bytes - keptBefore.bytes,
    keptKeys: keptAfter.keys - keptBefore.keys,
    commands: commandDelta(commandsBefore, commandsAfter),
  };
}
