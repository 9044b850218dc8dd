import { commandsPerJob, sumCommands } from './redis-footprint.js';
import { median, num, spread } from './report-format.js';
import { cpuPerRequest, type EnqueuePass } from './seed-stack-measures.js';

/**
 * What accepting one request costs the machine, in µs: the HTTP server's CPU and Redis's. On a CPU-bound
 * machine throughput goes as its inverse, and unlike throughput it barely moves when other work shares the cores.
 */
export const enqueueCpuPerRequest = (passes: EnqueuePass[]) =>
  (cpuPerRequest(passes, (p) => p.serverCpuMs) ?? NaN) + (cpuPerRequest(passes, (p) => p.redisCpuMs) ?? NaN);

/** The flat-out cells of an enqueue row: req/s (median and range), p50 ms, p99 ms, errors. */
export const enqueueLoadCells = (passes: EnqueuePass[]): string[] => [
  spread(
    passes.map((p) => p.load.perSecond),
    (v) => num(v, 0),
  ),
  num(median(passes.map((p) => p.load.p50Ms))),
  num(median(passes.map((p) => p.load.p99Ms))),
  String(passes.reduce((sum, p) => sum + p.load.failed, 0)),
];

/** The cost cells of an enqueue row: server CPU µs/req, Redis CPU µs/req, Redis commands/req (scripts). */
export function enqueueCostCells(passes: EnqueuePass[]): string[] {
  const accepted = passes.reduce((sum, p) => sum + p.load.ok, 0);
  const commands = commandsPerJob(sumCommands(passes.map((p) => p.commands)), accepted);
  return [
    num(
      cpuPerRequest(passes, (p) => p.serverCpuMs),
      0,
    ),
    num(
      cpuPerRequest(passes, (p) => p.redisCpuMs),
      0,
    ),
    `${num(commands.all, 1)} (${num(commands.scripts, 1)})`,
  ];
}
