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
  measureEnqueue,
  measurePipeline,
  type Enqueued,
  type SeedStackOptions,
} from '../seed-stack-measures.js';
import { seedStackReport } from '../seed-stack-report.js';

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
    connections: 64,
    durationS: run.scale(10, 3),
    warmupS: run.scale(2, 1),
    pacedRate: run.scale(500, 300),
    jobs: run.scale(5_000, 300),
    warmupJobs: run.scale(2_000, 50),
    ...options,
  };
  const title = `7. Against the seed stack: FastAPI + Celery, a fair baseline and bare BullMQ (${o.jobs} jobs end to end)`;
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
  try {
    const concurrency = run.cpus;

    const gantryEnqueue = await withClose(
      GantryStack.start(local, 'seed-enqueue', [
        { app: 'bench-worker', module: benchFile('bench-worker'), concurrency: 1, paused: true },
      ]),
      async (stack): Promise<Enqueued> => {
        await stack.waitForTypes([BenchNoop.type]);
        return measureEnqueue(o, redis, {
          url: stack.url,
          authorization: stack.authorization,
          server: only(stack.gatewayPid),
        });
      },
    );
    const celeryEnqueue = await withClose(
      CeleryStack.start(local, { python, firstDb: 1, worker: null }),
      (stack) =>
        measureEnqueue(o, redis, { url: stack.url, authorization: null, server: only(stack.serverPid) }),
    );

    const gantry = await measurePipeline(o, redis, async () => {
      const stack = await GantryStack.start(local, 'seed-e2e', [
        { app: 'bench-worker', module: benchFile('bench-worker'), concurrency },
      ]);
      await stack.waitForTypes([BenchNoop.type]).catch(async (error: unknown) => {
        await stack.close();
        throw error;
      });
      const worker = [...stack.workers][0]?.pid ?? null;
      return {
        url: stack.url,
        authorization: stack.authorization,
        done: async () => ({
          finished: await stack.recordedJobs('succeeded'),
          failed: await stack.recordedJobs('failed'),
        }),
        processes: {
          server: only(stack.gatewayPid),
          worker: only(worker),
          engines: below(worker),
          postgres: backends(stack.schema),
        },
        close: () => stack.close(),
      };
    });
    const celery = await measurePipeline(o, redis, async () => {
      // Databases 3 and 4: the enqueue run left its unworked tasks in 1 and 2.
      const stack = await CeleryStack.start(local, { python, firstDb: 3, worker: { concurrency } });
      return {
        url: stack.url,
        authorization: null,
        done: async () => ({ finished: await stack.stored(), failed: 0 }),
        failedAtEnd: () => stack.failedResults(),
        processes: {
          server: only(stack.serverPid),
          worker: only(stack.workerPid),
          engines: below(stack.workerPid),
          postgres: none,
        },
        close: () => stack.close(),
      };
    });
    const fair = await measurePipeline(o, redis, async () => {
      const stack = await FairStack.start(local, 'seed-fair', { concurrency });
      return {
        url: stack.url,
        authorization: null,
        done: async () => ({ finished: await stack.succeeded(), failed: 0 }),
        processes: {
          server: only(stack.server.pid),
          worker: only(stack.workerPid),
          engines: below(stack.workerPid),
          postgres: backends(stack.schema),
        },
        close: () => stack.close(),
      };
    });
    const bare = await measurePipeline(o, redis, async () => {
      const stack = await BareStack.start(local, 'seed-bare', { concurrency });
      return {
        url: stack.url,
        authorization: null,
        done: async () => {
          const counts = await stack.counts();
          return { finished: counts.completed, failed: counts.failed };
        },
        processes: {
          server: only(stack.server.pid),
          worker: only(stack.workerPid),
          engines: none,
          postgres: none,
        },
        close: () => stack.close(),
      };
    });
    return seedStackReport(title, o, {
      gantryEnqueue,
      celeryEnqueue,
      gantry,
      celery,
      fair,
      bare,
      versions: celeryVersions(python),
      concurrency,
    });
  } finally {
    await admin.end();
    // The stacks' schemas and keys go while their Redis still answers.
    await local.cleanup();
    forgetRedis();
    await redis.stop();
  }
}

async function withClose<S extends { close(): Promise<void> }, T>(
  starting: Promise<S>,
  use: (stack: S) => Promise<T>,
): Promise<T> {
  const stack = await starting;
  try {
    return await use(stack);
  } finally {
    await stack.close();
  }
}
