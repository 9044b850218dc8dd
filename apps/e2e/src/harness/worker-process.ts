import path from 'node:path';
import { freePort } from './free-port.js';
import type { LogBuffer } from './log-buffer.js';
import { ManagedProcess, type ProcessExit } from './managed-process.js';
import { appEntry, repoRoot } from './repo-paths.js';
import { waitUntil } from './wait-until.js';

/** The worker apps with a build output, and the test worker of the platform tests. */
export type WorkerApp = 'ocr' | 'vision' | 'predictive' | 'llm' | 'test';

const testWorkerEntry = path.join(repoRoot, 'apps/e2e/src/harness/e2e-test-worker-main.ts');

function command(app: WorkerApp): string[] {
  // The test-only job types exist as TypeScript sources only; everything else runs from dist.
  if (app === 'test') return ['--conditions=@gantry/source', '--import', 'tsx', testWorkerEntry];
  return [appEntry(app)];
}

/** One worker process; ready when its health port says so (engines warm, Redis up, taking jobs). */
export class WorkerProcess {
  private constructor(
    readonly app: WorkerApp,
    readonly process: ManagedProcess,
    readonly healthPort: number,
    private readonly logs: LogBuffer,
  ) {}

  static async start(options: {
    app: WorkerApp;
    name: string;
    env: NodeJS.ProcessEnv;
    logs: LogBuffer;
    readyTimeoutMs?: number;
  }): Promise<WorkerProcess> {
    // A free port may be taken by another process of the run before the worker binds it: then the
    // worker exits at start with EADDRINUSE, and starts again on another port.
    for (let attempt = 1; ; attempt += 1) {
      const healthPort = await freePort();
      const process = new ManagedProcess({
        name: options.name,
        command: globalThis.process.execPath,
        args: command(options.app),
        env: { ...options.env, WORKER_HEALTH_PORT: String(healthPort) },
        cwd: repoRoot,
        logs: options.logs,
      });
      const worker = new WorkerProcess(options.app, process, healthPort, options.logs);
      try {
        await worker.waitReady(options.readyTimeoutMs);
        return worker;
      } catch (error) {
        await process.stop('SIGKILL');
        const portTaken = !process.running && options.logs.tail(30, options.name).includes('EADDRINUSE');
        if (!portTaken || attempt === 3) throw error;
      }
    }
  }

  get name(): string {
    return this.process.name;
  }

  get pid(): number {
    return this.process.pid;
  }

  async health(route: '/readyz' | '/healthz'): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`http://127.0.0.1:${this.healthPort}${route}`);
    return { status: res.status, body: await res.json() };
  }

  private async waitReady(timeoutMs = 30_000): Promise<void> {
    await waitUntil(
      async () => (this.process.running ? (await this.health('/readyz')).status : -1),
      (status) => status === 200 || status === -1,
      { what: `${this.name} /readyz`, timeoutMs, context: () => this.logs.tail(30, this.name) },
    );
    if (!this.process.running) {
      throw new Error(`${this.name} exited at start:\n${this.logs.tail(30, this.name)}`);
    }
  }

  stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs?: number): Promise<ProcessExit> {
    return this.process.stop(signal, timeoutMs);
  }

  kill(): Promise<ProcessExit> {
    return this.process.kill();
  }
}
