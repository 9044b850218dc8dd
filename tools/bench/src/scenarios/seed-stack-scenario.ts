import { createPool } from '@gantry/job-store';
import { BareStack } from '../bare-stack.js';
import { BenchNoop } from '../bench-contracts.js';
import { BenchRedis } from '../bench-redis.js';
import type { BenchRun } from '../bench-run.js';
import { CeleryStack, celeryImports, celeryPython, celeryVersions } from '../celery-stack.js';
import { benchFile } from '../child-service.js';
import { descendants, type PidSource } from '../cpu-meter.js';
import { FairStack } from '../fair-stack.js';
import { GantryStack } from '../gantry-stack.js';
import type { Section } from '../report-format.js';
import {
  type EnqueueTarget,
  measureEnqueue,
  measurePaced,
  measurePass,
  type Pipeline,
  type SeedStackOptions,
  warmUpPipeline,
} from '../seed-stack-measures.js';
import {
  type PipelineName,
  pipelineNames,
  type SeedStackResults,
  seedStackReport,
} from '../seed-stack-report.js';

/** The Debian packages of the seed stack (uvloop, httptools and hiredis are what `uvicorn[standard]` and `redis[hiredis]` add). */
const seedStackPackages =
  'python3-celery python3-fastapi python3-uvicorn python3-redis python3-uvloop python3-httptools python3-hiredis';

const none: PidSource = () => Promise.resolve([]);
const only =
  (pid: number | null): PidSource =>
  () =>
    Promise.resolve(pid ? [pid] : []);
const below =
  (pid: number | null): PidSource =>
  () =>
    pid ? descendants(pid) : Promise.resolve([]);

/**
 * Scenario 7: Gantry against what users would otherwise deploy — FastAPI + Celery + Redis — and
 * against a fair baseline that makes the hops Gantry must make per job, with bare Express + BullMQ
 * as the ceiling. The pipelines run in turn on one Redis of the bench's own, so that Redis's
 * commands, memory and CPU per job are theirs alone.
 */
export async function seedStackScenario(
  run: BenchRun,
  options?: Partial<SeedStackOptions>,
): Promise<Section> {
  const o: SeedStackOptions = {
    rounds: run.scale(3, 1),
    connections: 64,
    durationS: run.scale(5, 3),
    warmupS: run.scale(2, 1),
    pacedRate: run.scale(500, 300),
    pacedS: run.scale(10, 3),
    jobs: run.scale(5_000, 300),
    warmupJobs: run.scale(2_000, 50),
    ...options,
  };
  const title = `7. Against the seed stack: FastAPI + Celery, a fair baseline and bare BullMQ (${o.rounds} × ${o.jobs} jobs end to end)`;
  const python = celeryPython(run.env.BENCH_PYTHON);
  if (!python) {
    const tried = run.env.BENCH_PYTHON ?? 'python3, /usr/bin/python3';
    return {
      title,
      lines: [
        `Skipped: no Python here can \`${celeryImports}\` (tried ${tried}). Install them with ` +
          `\`apt-get install ${seedStackPackages}\`, or set BENCH_PYTHON to an interpreter that has them.`,
      ],
    };
  }
  if (!BenchRedis.available()) {
    return {
      title,
      lines: [
        'Skipped: `redis-server` is not on PATH. This scenario reads commands, memory and CPU per job from a Redis ' +
          'of its own, never from the shared one.',
      ],
    };
  }

  const redis = await BenchRedis.start();
  const forgetRedis = run.onCleanup(() => redis.stop());
  const admin = createPool(run.env.BENCH_DATABASE_URL, { max: 1, applicationName: `bench-${run.id}` });
  /** The PostgreSQL backends of a pipeline's connections: its URLs name them after its schema. */
  const backends =
    (applicationName: string): PidSource =>
    async () =>
      (
        await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [
          applicationName,
        ])
      ).rows.map((row) => row.pid);
  const local = run.onRedis(redis.url);
  const open: { close(): Promise<void> }[] = [];
  const started = <S extends { close(): Promise<void> }>(stack: S): S => {
    open.push(stack);
    return stack;
  };
  try {
    const concurrency = run.cpus;

    // Enqueue: the four servers up (no workers), measured in a rotated order each round. fair's and bare's
    // servers are there as the ceilings: what accepting a job can cost at the least, in the same run.
    const gantryServer = started(
      await GantryStack.start(local, 'seed-enqueue', [
        { app: 'bench-worker', module: benchFile('bench-worker'), concurrency: 1, paused: true },
      ]),
    );
    await gantryServer.waitForTypes([BenchNoop.type]);
    const celeryServer = started(await CeleryStack.start(local, { python, firstDb: 1, worker: null }));
    const fairServer = started(await FairStack.start(local, 'seed-fair-enqueue', null));
    const bareServer = started(await BareStack.start(local, 'seed-bare-enqueue', null));
    const targets: Record<PipelineName, EnqueueTarget> = {
      gantry: {
        url: gantryServer.url,
        authorization: gantryServer.authorization,
        server: only(gantryServer.gatewayPid),
      },
      celery: { url: celeryServer.url, authorization: null, server: only(celeryServer.serverPid) },
      fair: { url: fairServer.url, authorization: null, server: only(fairServer.server.pid) },
      bare: { url: bareServer.url, authorization: null, server: only(bareServer.server.pid) },
    };
    const enqueue: SeedStackResults['enqueue'] = { gantry: [], celery: [], fair: [], bare: [] };
    for (let round = 0; round < o.rounds; round += 1) {
      for (const name of rotated(round))
        enqueue[name].push(await measureEnqueue(o, redis, targets[name], round === 0));
    }
    // Latency at an even rate is the steady state's: Gantry's recorder first writes the flat-out passes' jobs.
    await gantryServer.recorderCaughtUp();
    const paced = {} as SeedStackResults['paced'];
    for (const name of pipelineNames) paced[name] = await measurePaced(o, targets[name]);
    await closeAll(open);

    // End to end: all four up, warmed up, then measured in a rotated order each round.
    const gantryStack = started(
      await GantryStack.start(local, 'seed-e2e', [
        { app: 'bench-worker', module: benchFile('bench-worker'), concurrency },
      ]),
    );
    await gantryStack.waitForTypes([BenchNoop.type]);
    const gantryWorker = [...gantryStack.workers][0]?.pid ?? null;
    // Databases 3 and 4: the enqueue passes left their unworked tasks in 1 and 2.
    const celeryStack = started(
      await CeleryStack.start(local, { python, firstDb: 3, worker: { concurrency } }),
    );
    const fairStack = started(await FairStack.start(local, 'seed-fair', { concurrency }));
    const bareStack = started(await BareStack.start(local, 'seed-bare', { concurrency }));
    const pipelines: Record<PipelineName, Pipeline> = {
      gantry: {
        url: gantryStack.url,
        authorization: gantryStack.authorization,
        done: async () => ({
          finished: await gantryStack.recordedJobs('succeeded'),
          failed: await gantryStack.recordedJobs('failed'),
        }),
        processes: {
          server: only(gantryStack.gatewayPid),
          worker: only(gantryWorker),
          engines: below(gantryWorker),
          postgres: backends(gantryStack.schema),
        },
      },
      celery: {
        url: celeryStack.url,
        authorization: null,
        done: async () => ({ finished: await celeryStack.stored(), failed: 0 }),
        processes: {
          server: only(celeryStack.serverPid),
          worker: only(celeryStack.workerPid),
          engines: below(celeryStack.workerPid),
          postgres: none,
        },
      },
      fair: {
        url: fairStack.url,
        authorization: null,
        done: async () => ({ finished: await fairStack.succeeded(), failed: 0 }),
        processes: {
          server: only(fairStack.server.pid),
          worker: only(fairStack.workerPid),
          engines: below(fairStack.workerPid),
          postgres: backends(fairStack.schema),
        },
      },
      bare: {
        url: bareStack.url,
        authorization: null,
        done: async () => {
          const counts = await bareStack.counts();
          return { finished: counts.completed, failed: counts.failed };
        },
        processes: {
          server: only(bareStack.server.pid),
          worker: only(bareStack.workerPid),
          engines: none,
          postgres: none,
        },
      },
    };
    for (const name of pipelineNames) await warmUpPipeline(o, pipelines[name]);
    const passes: SeedStackResults['passes'] = { gantry: [], celery: [], fair: [], bare: [] };
    for (let round = 0; round < o.rounds; round += 1) {
      for (const name of rotated(round)) passes[name].push(await measurePass(o, redis, pipelines[name]));
    }
    const celeryFailed = await celeryStack.failedResults();
    return seedStackReport(title, o, {
      enqueue,
      paced,
      passes,
      celeryFailed,
      versions: celeryVersions(python),
      concurrency,
    });
  } finally {
    await closeAll(open);
    await admin.end();
    // The stacks' schemas and keys go while their Redis still answers.
    await local.cleanup();
    forgetRedis();
    await redis.stop();
  }
}

/** The pipelines in the order of a round: each round starts one further along. */
const rotated = (round: number): PipelineName[] => [
  ...pipelineNames.slice(round % pipelineNames.length),
  ...pipelineNames.slice(0, round % pipelineNames.length),
];

/** Closes what is open, the last started first, and forgets it. */
async function closeAll(open: { close(): Promise<void> }[]): Promise<void> {
  for (const stack of open.splice(0).reverse()) await stack.close().catch(() => undefined);
}
