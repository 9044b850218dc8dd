import { endToEndPollMs } from './measure-end-to-end.js';
import { markdownTable, num, percent, type Section, verdict } from './report-format.js';
import { cpuColumns, type Enqueued, type PerJob, type SeedStackOptions } from './seed-stack-measures.js';

export const seedStackTargets = { enqueueTimes: 4, pacedP99Ms: 25, e2eTimes: 2, fairShare: 0.6 } as const;

export interface SeedStackResults {
  gantryEnqueue: Enqueued;
  celeryEnqueue: Enqueued;
  gantry: PerJob;
  celery: PerJob;
  fair: PerJob;
  bare: PerJob;
  /** `celery 5.2.6, fastapi 0.92.0, …` */
  versions: string;
  concurrency: number;
}

const perSecond = (p: PerJob) => p.run.jobs / p.run.totalS;

/** Scenario 7's tables: enqueue, end to end, per job, targets, and what each pipeline does. */
export function seedStackReport(title: string, o: SeedStackOptions, m: SeedStackResults): Section {
  const t = seedStackTargets;
  const enqueueTimes = m.gantryEnqueue.load.perSecond / m.celeryEnqueue.load.perSecond;
  const e2eTimes = perSecond(m.gantry) / perSecond(m.celery);
  const fairShare = perSecond(m.gantry) / perSecond(m.fair);
  const enqueueRow = (name: string, e: Enqueued) => [
    name,
    num(e.load.perSecond, 0),
    num(e.load.p50Ms),
    num(e.load.p99Ms),
    String(e.load.failed + e.paced.failed),
    num(e.paced.p50Ms),
    num(e.paced.p99Ms),
    num(e.serverCpuUs, 0),
    `${num(e.redisCommands.all, 1)} (${num(e.redisCommands.scripts, 1)})`,
  ];
  const pipelines: [string, string, PerJob][] = [
    ['Gantry', 'gateway → worker → engine process → PostgreSQL row', m.gantry],
    ['FastAPI + Celery', 'uvicorn `delay()` → Celery worker → Redis result', m.celery],
    ['fair', 'Express + row → BullMQ → engine process → row updated', m.fair],
    ['bare (ceiling)', 'Express `queue.add` → BullMQ Worker → Redis', m.bare],
  ];
  const cpuAll = (p: PerJob) => cpuColumns.reduce((sum, c) => sum + (p.cpuUs[c] ?? 0), 0);
  return {
    title,
    lines: [
      `Enqueue over HTTP: ${o.connections} connections for ${o.durationS} s after ${o.warmupS} s of warm-up, then an even ${o.pacedRate} req/s for ${o.durationS} s.`,
      '',
      ...markdownTable(
        [
          'server',
          'req/s',
          'p50 ms',
          'p99 ms',
          'errors',
          `p50 ms at ${o.pacedRate} req/s`,
          `p99 ms at ${o.pacedRate} req/s`,
          'server CPU µs/req',
          'Redis commands/req (scripts)',
        ],
        [
          enqueueRow('Gantry gateway `POST /v1/jobs/bench.noop`', m.gantryEnqueue),
          enqueueRow('FastAPI + Celery `delay()` (uvicorn, 1 worker)', m.celeryEnqueue),
        ],
      ),
      '',
      `End to end over HTTP: ${o.jobs} jobs after ${o.warmupJobs} warm-up ones, until every result is stored.`,
      '',
      ...markdownTable(
        [
          'pipeline',
          'jobs done',
          'failed',
          'all accepted after s',
          'last stored after s',
          'jobs/s',
          'Gantry ÷ it',
        ],
        pipelines.map(([name, path, p]) => [
          `${name}: ${path}`,
          String(p.run.jobs),
          String(p.run.failed),
          num(p.run.enqueueS),
          num(p.run.totalS),
          num(perSecond(p), 0),
          p === m.gantry ? '' : `${num(perSecond(m.gantry) / perSecond(p))}×`,
        ]),
      ),
      '',
      'Per job, over the measured jobs:',
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
        pipelines.map(([name, , p]) => [
          name,
          num(p.redisBytes, 0),
          num(p.redisKeys, 2),
          `${num(p.redisCommands.all, 1)} (${num(p.redisCommands.scripts, 1)})`,
          ...cpuColumns.map((c) => num(p.cpuUs[c], 0)),
          Object.values(p.cpuUs).every((v) => v === null) ? '–' : num(cpuAll(p), 0),
        ]),
      ),
      '',
      "Redis commands per job, most frequent first (a script's own calls count as commands too):",
      '',
      ...pipelines.map(
        ([name, , p]) =>
          `- ${name}: ${p.redisCommands.top.map(([command, n]) => `${command.replace('|', ' ')} ${num(n, 1)}`).join(', ')}`,
      ),
      `- Gantry's enqueue alone: ${m.gantryEnqueue.redisCommands.top.map(([command, n]) => `${command.replace('|', ' ')} ${num(n, 1)}`).join(', ')}`,
      '',
      ...markdownTable(
        ['target', 'measured', 'result'],
        [
          [
            `Gantry enqueue ≥ ${t.enqueueTimes}× FastAPI + Celery req/s`,
            `${num(enqueueTimes)}×`,
            verdict(enqueueTimes >= t.enqueueTimes),
          ],
          [
            `Gantry enqueue p99 < ${t.pacedP99Ms} ms at an even ${o.pacedRate} req/s`,
            `${num(m.gantryEnqueue.paced.p99Ms)} ms`,
            verdict(m.gantryEnqueue.paced.p99Ms < t.pacedP99Ms),
          ],
          [
            `Gantry end to end ≥ ${t.e2eTimes}× FastAPI + Celery jobs/s`,
            `${num(e2eTimes)}×`,
            verdict(e2eTimes >= t.e2eTimes),
          ],
          [
            `Gantry end to end ≥ ${percent(t.fairShare)} of the fair baseline's jobs/s`,
            percent(fairShare),
            verdict(fairShare >= t.fairShare),
          ],
        ],
      ),
      '',
      'Every pipeline gets the same `POST /v1/jobs/bench.noop` (JSON body `{"input":{"n":1}}` and a unique `Idempotency-Key`, ' +
        `which only Gantry reads) from ${o.connections} connections, one pipeline at a time, on one Redis of the bench's own ` +
        '(AOF on, fsync every second, as `docker/compose.yml` runs it) and the shared PostgreSQL. ' +
        `Workers run ${m.concurrency} jobs at a time (Gantry's default: one engine process per CPU).`,
      '',
      "- **Gantry**: the gateway (API key, validation, idempotency key, job state and BullMQ's `add` in one round trip, then 202), " +
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
        'Redis per job: `MEMORY USAGE <key> SAMPLES 0` summed over every key, and `INFO commandstats`, read before the measured jobs and 1 s ' +
        "after the last is stored (the completion polls' few commands included). CPU per job: utime + stime from `/proc/<pid>/stat` over the measured jobs, for the HTTP server, the worker's main process, " +
        "its child processes (engines; Celery's pool), the bench's Redis, the PostgreSQL backends of the pipeline's own connections " +
        "(found by application name; PostgreSQL's background writers serve every client and are left out) and the bench process " +
        `(autocannon and the polls). Server CPU per request in the enqueue table is the same reading over the flat-out ${o.durationS} s.`,
    ],
  };
}
