import { enqueueCostCells, enqueueCpuPerRequest, enqueueLoadCells } from './enqueue-cells.js';
import type { HttpLoadResult } from './http-load.js';
import { endToEndPollMs } from './measure-end-to-end.js';
import { commandsPerJob, sumCommands } from './redis-footprint.js';
import { markdownTable, median, num, percent, type Section, spread, verdict } from './report-format.js';
import { cpuColumns, type EnqueuePass, type Pass, type SeedStackOptions } from './seed-stack-measures.js';

const seedStackTargets = { enqueueTimes: 4, pacedP99Ms: 25, e2eTimes: 2, fairShare: 0.6 } as const;

export const pipelineNames = ['gantry', 'celery', 'fair', 'bare'] as const;
export type PipelineName = (typeof pipelineNames)[number];

export interface SeedStackResults {
  /** One flat-out pass per round and server (fair's and bare's servers without their workers). */
  enqueue: Record<PipelineName, EnqueuePass[]>;
  paced: Record<PipelineName, HttpLoadResult>;
  /** One end-to-end pass per round and pipeline, in round order. */
  passes: Record<PipelineName, Pass[]>;
  /** Celery results stored with a status other than SUCCESS (read once, at the end). */
  celeryFailed: number;
  /** `celery 5.2.6, fastapi 0.92.0, …` */
  versions: string;
  concurrency: number;
}

const labels: Record<PipelineName, [string, string]> = {
  gantry: ['Gantry', 'gateway → worker → engine process → PostgreSQL row'],
  celery: ['FastAPI + Celery', 'uvicorn `delay()` → Celery worker → Redis result'],
  fair: ['fair', 'Express + row → BullMQ → engine process → row updated'],
  bare: ['bare (ceiling)', 'Express `queue.add` → BullMQ Worker → Redis'],
};

const enqueueLabels: Record<PipelineName, string> = {
  gantry: 'Gantry gateway `POST /v1/jobs/bench.noop`',
  celery: 'FastAPI + Celery `delay()` (uvicorn, 1 worker)',
  fair: 'fair: Express, awaited `INSERT`, `queue.add`',
  bare: 'bare (ceiling): Express `queue.add`',
};

const times = (value: number) => `${num(value)}×`;
const jobsPerSecond = (pass: Pass) => pass.run.jobs / pass.run.totalS;
/** Per-round ratios: each round measures the two sides within seconds of each other. */
const ratios = <T>(a: readonly T[], b: readonly T[], rate: (x: T) => number) =>
  a.map((x, i) => rate(x) / rate(b[i] ?? x));

/** Scenario 7's tables: enqueue, end to end, per job, targets, and what each pipeline does. */
export function seedStackReport(title: string, o: SeedStackOptions, m: SeedStackResults): Section {
  const t = seedStackTargets;
  const enqueueVs = (a: PipelineName, b: PipelineName) =>
    ratios(m.enqueue[a], m.enqueue[b], (p) => p.load.perSecond);
  const enqueueRatios = enqueueVs('gantry', 'celery');
  // Ratios by CPU cost too: see enqueueCpuPerRequest.
  const enqueueByCpu = enqueueCpuPerRequest(m.enqueue.celery) / enqueueCpuPerRequest(m.enqueue.gantry);
  const vsGantry = (name: PipelineName) => ratios(m.passes.gantry, m.passes[name], jobsPerSecond);
  const e2eRatios = vsGantry('celery');
  const fairShares = vsGantry('fair');
  const enqueueRow = (name: string, passes: EnqueuePass[], paced: HttpLoadResult) => [
    name,
    ...enqueueLoadCells(passes),
    String(paced.failed),
    num(paced.p50Ms),
    num(paced.p99Ms),
    ...enqueueCostCells(passes),
  ];
  const perJob = (passes: Pass[]) => {
    const jobs = passes.length * o.jobs;
    const cpuUs = Object.fromEntries(
      cpuColumns.map((column) => {
        const values = passes.map((p) => p.cpuMs[column]);
        return [
          column,
          values.includes(null) ? null : (values.reduce((s: number, v) => s + (v ?? 0), 0) * 1_000) / jobs,
        ];
      }),
    ) as Record<(typeof cpuColumns)[number], number | null>;
    return {
      cpuUs,
      bytes: passes.reduce((sum, p) => sum + p.keptBytes, 0) / jobs,
      keys: passes.reduce((sum, p) => sum + p.keptKeys, 0) / jobs,
      commands: commandsPerJob(sumCommands(passes.map((p) => p.commands)), jobs),
    };
  };
  const costs = Object.fromEntries(pipelineNames.map((name) => [name, perJob(m.passes[name])])) as Record<
    PipelineName,
    ReturnType<typeof perJob>
  >;
  const allCpu = (name: PipelineName) =>
    Object.values(costs[name].cpuUs).reduce((sum: number, v) => sum + (v ?? 0), 0);
  const byCpu = (name: PipelineName) => allCpu(name) / allCpu('gantry');
  const topCommands = (top: [string, number][]) =>
    top.map(([command, n]) => `${command.replace('|', ' ')} ${num(n, 1)}`).join(', ');
  const rounds = m.passes.gantry.length;
  return {
    title,
    lines: [
      `Enqueue over HTTP: ${o.connections} connections, ${rounds} passes of ${o.durationS} s per server (after ${o.warmupS} s of warm-up), ` +
        `the servers in a rotated order each round (fair's and bare's without their workers); then an even ${o.pacedRate} req/s for ${o.pacedS} s each. ` +
        'req/s: median (range) over the passes.',
      '',
      ...markdownTable(
        [
          'server',
          'req/s',
          'p50 ms',
          'p99 ms',
          'errors',
          `errors at ${o.pacedRate} req/s`,
          `p50 ms at ${o.pacedRate} req/s`,
          `p99 ms at ${o.pacedRate} req/s`,
          'server CPU µs/req',
          'Redis CPU µs/req',
          'Redis commands/req (scripts)',
        ],
        pipelineNames.map((name) => enqueueRow(enqueueLabels[name], m.enqueue[name], m.paced[name])),
      ),
      '',
      `End to end over HTTP: ${rounds} passes of ${o.jobs} jobs per pipeline (after ${o.warmupJobs} warm-up jobs each), the pipelines in a ` +
        'rotated order each round, each pass until every result is stored. jobs/s and Gantry ÷ it: median (range) over the rounds, the ratio ' +
        'taken within each round.',
      '',
      ...markdownTable(
        [
          'pipeline',
          'jobs done',
          'failed',
          'accepted/s',
          'jobs/s end to end',
          'Gantry ÷ it',
          'by CPU per job',
        ],
        pipelineNames.map((name) => {
          const passes = m.passes[name];
          return [
            labels[name].join(': '),
            String(passes.reduce((sum, p) => sum + p.run.jobs, 0) - (name === 'celery' ? m.celeryFailed : 0)),
            String(
              passes.reduce((sum, p) => sum + p.run.failed, 0) + (name === 'celery' ? m.celeryFailed : 0),
            ),
            num(median(passes.map((p) => o.jobs / p.run.enqueueS)), 0),
            spread(passes.map(jobsPerSecond), (v) => num(v, 0)),
            name === 'gantry' ? '' : spread(vsGantry(name), times),
            name === 'gantry' ? '' : times(byCpu(name)),
          ];
        }),
      ),
      '',
      'Per job, over every measured pass:',
      '',
      ...markdownTable(
        [
          'pipeline',
          'Redis bytes kept',
          'Redis keys kept',
          'Redis commands (scripts)',
          'CPU µs: HTTP server',
          'worker',
          'engines',
          'Redis',
          'PostgreSQL',
          'bench',
          'all',
        ],
        pipelineNames.map((name) => {
          const c = costs[name];
          const measured = Object.values(c.cpuUs).filter((v): v is number => v !== null);
          return [
            labels[name][0],
            num(c.bytes, 0),
            num(c.keys, 2),
            `${num(c.commands.all, 1)} (${num(c.commands.scripts, 1)})`,
            ...cpuColumns.map((column) => num(c.cpuUs[column], 0)),
            measured.length === 0
              ? '–'
              : num(
                  measured.reduce((sum, v) => sum + v, 0),
                  0,
                ),
          ];
        }),
      ),
      '',
      "Redis commands per job, most frequent first (a script's own calls count as commands too):",
      '',
      ...pipelineNames.map((name) => `- ${labels[name][0]}: ${topCommands(costs[name].commands.top)}`),
      `- Gantry's enqueue alone, per request: ${topCommands(
        commandsPerJob(
          sumCommands(m.enqueue.gantry.map((p) => p.commands)),
          m.enqueue.gantry.reduce((sum, p) => sum + p.load.ok, 0),
        ).top,
      )}`,
      '',
      ...markdownTable(
        ['target', 'measured', 'result'],
        [
          [
            `Gantry enqueue ≥ ${t.enqueueTimes}× FastAPI + Celery req/s`,
            `${spread(enqueueRatios, times)}; by CPU per request ${times(enqueueByCpu)}`,
            verdict(median(enqueueRatios) >= t.enqueueTimes),
          ],
          [
            `Gantry enqueue p99 < ${t.pacedP99Ms} ms at an even ${o.pacedRate} req/s`,
            `${num(m.paced.gantry.p99Ms)} ms`,
            verdict(m.paced.gantry.p99Ms < t.pacedP99Ms),
          ],
          [
            `Gantry end to end ≥ ${t.e2eTimes}× FastAPI + Celery jobs/s`,
            `${spread(e2eRatios, times)}; by CPU per job ${times(byCpu('celery'))}`,
            verdict(median(e2eRatios) >= t.e2eTimes),
          ],
          [
            `Gantry end to end ≥ ${percent(t.fairShare)} of the fair baseline's jobs/s`,
            `${spread(fairShares, percent)}; by CPU per job ${percent(byCpu('fair'))}`,
            verdict(median(fairShares) >= t.fairShare),
          ],
        ],
      ),
      '',
      'What the targets ask, against what the baselines reach in the same run (ratios within each round):',
      '',
      `- Enqueue: bare ÷ FastAPI + Celery ${spread(enqueueVs('bare', 'celery'), times)}, fair ÷ it ` +
        `${spread(enqueueVs('fair', 'celery'), times)}; Gantry ÷ bare ${spread(enqueueVs('gantry', 'bare'), percent)}. ` +
        `Gantry at ${t.enqueueTimes}× Celery would accept ${percent(t.enqueueTimes / median(enqueueVs('bare', 'celery')))} of bare's rate.`,
      `- End to end: fair ÷ FastAPI + Celery ${spread(ratios(m.passes.fair, m.passes.celery, jobsPerSecond), times)} ` +
        `(by CPU per job ${times(allCpu('celery') / allCpu('fair'))}), bare ÷ it ` +
        `${spread(ratios(m.passes.bare, m.passes.celery, jobsPerSecond), times)}. A pipeline that makes the hops the fair ` +
        `baseline makes reaches ${t.e2eTimes}× Celery only where fair ÷ Celery is at least ${t.e2eTimes}×.`,
      '',
      'Every pipeline gets the same `POST /v1/jobs/bench.noop` (JSON body `{"input":{"n":1}}` and a unique `Idempotency-Key`, ' +
        `which only Gantry reads) from ${o.connections} connections, one pipeline at a time, on one Redis of the bench's own ` +
        '(AOF on, fsync every second, as `docker/compose.yml` runs it) and the shared PostgreSQL. ' +
        `Workers run ${m.concurrency} jobs at a time (Gantry's default: one engine process per CPU).`,
      '',
      "- **Gantry**: the gateway (API key, validation, idempotency key, admission with the job state in one script, then BullMQ's `add`, then 202), " +
        'the worker runtime with its engine processes, the recorder writing the `jobs` row; a job is done when its row is `succeeded`. ' +
        'For enqueue its worker is paused.',
      `- **FastAPI + Celery** (\`tools/bench/baselines/celery\`; ${m.versions}): uvicorn with one worker process (uvloop and httptools when ` +
        'installed) runs a plain `def` endpoint that validates the body with pydantic and calls `delay()`. The Celery worker has its defaults ' +
        `(prefork pool of ${m.concurrency}, prefetch ×4) and stores each result in the Redis result backend (kept a day, Celery's default); ` +
        'a job is done when the result database holds its key (the key count is polled). For enqueue no Celery worker runs.',
      '- **fair**: bare Express + BullMQ plus the hops Gantry must make. The server `INSERT`s a `queued` row into `fair_jobs` (uuid primary key, ' +
        'no other index) and awaits it, then `queue.add`s with the row id as job id, then answers 202; the worker sends the job to one of its ' +
        'engine processes (a child at nice 10, one per job slot, an IPC message there and one back), then `UPDATE`s the row to `succeeded` with ' +
        "the output and completion time, and BullMQ removes the completed job, as Gantry's does. Done when the row is `succeeded`. " +
        'No auth, validation or idempotency.',
      '- **bare**: Express `queue.add` → a raw BullMQ Worker running the job in its own event loop; BullMQ keeps the result in Redis. The ceiling.',
      '',
      `Clocks run from the first request until the poll (every ${endToEndPollMs} ms) that finds the last result. ` +
        'Redis per job: `MEMORY USAGE <key> SAMPLES 0` summed over every key, and `INFO commandstats`, read before each measured pass and 1 s ' +
        "after its last result is stored (the completion polls' few commands included). CPU per job: utime + stime from `/proc/<pid>/stat` " +
        "over each measured pass, for the HTTP server, the worker's main process, its child processes (engines; Celery's pool), the bench's Redis, " +
        "the PostgreSQL backends of the pipeline's own connections (found by application name; PostgreSQL's background writers serve every " +
        'client and are left out) and the bench process (autocannon and the polls). Server and Redis CPU per request in the enqueue table ' +
        'are the same reading over the flat-out passes. "By CPU" divides those costs (every process for a job; server and Redis for a ' +
        'request): the throughput ratio to expect where each side could use all the CPU it wants, and a steadier reading than ' +
        'throughput while other work shares the cores.',
    ],
  };
}
