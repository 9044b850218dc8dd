import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { BenchRun } from './bench-run.js';
import { ExternalProcess } from './external-process.js';
import { freePort } from './free-port.js';

/** What the seed stack needs from Python, checked with one import. */
export const celeryImports = 'import celery, fastapi, uvicorn, redis';

/**
 * The first interpreter that has the seed stack's packages: `BENCH_PYTHON`, then `python3` on PATH,
 * then `/usr/bin/python3` (Debian's packages install for the system interpreter, which a pyenv or
 * venv `python3` earlier on PATH does not see). Null when none has them.
 */
export function celeryPython(configured: string | undefined): string | null {
  const candidates = configured ? [configured] : ['python3', '/usr/bin/python3'];
  return candidates.find((python) => spawnSync(python, ['-c', celeryImports]).status === 0) ?? null;
}

/**
 * What the seed stack runs, for the report: `celery 5.2.6, …, uvloop 0.17.0, no hiredis`. uvloop,
 * httptools and hiredis are optional, and uvicorn and redis-py take them when they are there.
 */
export function celeryVersions(python: string): string {
  const script = [
    'import importlib',
    'found = []',
    'for name in ("celery", "fastapi", "uvicorn", "redis", "uvloop", "httptools", "hiredis"):',
    '    try:',
    '        found.append(f"{name} {importlib.import_module(name).__version__}")',
    '    except ImportError:',
    '        found.append(f"no {name}")',
    'print(", ".join(found))',
  ].join('\n');
  return spawnSync(python, ['-c', script]).stdout.toString().trim();
}

/**
 * The seed stack: FastAPI under uvicorn (one worker process) calling a Celery task's `delay()`, and
 * optionally a Celery worker (prefork pool, `concurrency` processes), broker and result backend on
 * two Redis databases of their own. The app is `tools/bench/baselines/celery/`.
 */
export class CeleryStack {
  private forget: () => void = () => undefined;

  private constructor(
    private readonly server: ExternalProcess,
    private readonly worker: ExternalProcess | null,
    readonly url: string,
    private readonly results: Redis,
  ) {}

  /**
   * `redisUrl` must be a Redis of the bench's own (`BenchRedis`): Celery 5.2 cannot prefix its keys,
   * so it gets databases `firstDb` (broker) and `firstDb + 1` (results) to itself.
   */
  static async start(
    run: BenchRun,
    options: { python: string; firstDb: number; worker: { concurrency: number } | null },
  ): Promise<CeleryStack> {
    const cwd = path.join(run.repoRoot, 'tools/bench/baselines/celery');
    const env = {
      CELERY_BROKER_URL: `${run.env.REDIS_URL}/${options.firstDb}`,
      CELERY_RESULT_BACKEND: `${run.env.REDIS_URL}/${options.firstDb + 1}`,
      // No __pycache__ in the working tree.
      PYTHONDONTWRITEBYTECODE: '1',
    };
    const port = await freePort();
    const server = ExternalProcess.start(
      'uvicorn',
      options.python,
      [
        ...['-m', 'uvicorn', 'app:api', '--host', '127.0.0.1', '--port', String(port)],
        ...['--workers', '1', '--log-level', 'warning', '--no-access-log'],
      ],
      { cwd, env },
    );
    const worker = options.worker
      ? ExternalProcess.start(
          'celery worker',
          options.python,
          [
            ...['-m', 'celery', '-A', 'tasks', 'worker', '--concurrency', String(options.worker.concurrency)],
            ...['--loglevel', 'WARNING', '--hostname', `bench-${run.id}@%h`],
          ],
          { cwd, env },
        )
      : null;
    const stack = new CeleryStack(
      server,
      worker,
      `http://127.0.0.1:${port}`,
      new Redis(env.CELERY_RESULT_BACKEND),
    );
    stack.forget = run.onCleanup(() => stack.close());
    try {
      await server.waitUntil(async () => (await fetch(`${stack.url}/health`)).ok);
      await worker?.waitForOutput('bench: celery worker ready');
    } catch (error) {
      await stack.close();
      throw error;
    }
    return stack;
  }

  get serverPid(): number {
    return this.server.pid;
  }

  /** The worker's main process; its pool processes are its children. */
  get workerPid(): number | null {
    return this.worker?.pid ?? null;
  }

  /** Results stored so far: the result database holds one key per finished task and nothing else. */
  stored(): Promise<number> {
    return this.results.dbsize();
  }

  /** Stored results whose status is not SUCCESS (one read of every result: call it once, at the end). */
  async failedResults(): Promise<number> {
    let failed = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.results.scan(cursor, 'COUNT', 1_000);
      cursor = next;
      const values = keys.length > 0 ? await this.results.mget(...keys) : [];
      failed += values.filter(
        (value) => value === null || (JSON.parse(value) as { status?: string }).status !== 'SUCCESS',
      ).length;
    } while (cursor !== '0');
    return failed;
  }

  async close(): Promise<void> {
    this.forget();
    await Promise.allSettled([this.worker?.stop(), this.server.stop()]);
    this.results.disconnect();
  }
}
