import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type ErrorInfo, GantryError, type ModelInfo } from '@gantry/contracts';
import type { EngineDevice } from '../define-worker.js';
import type { EngineReply, EngineRequest } from './engine-messages.js';

const hostPath = fileURLToPath(
  new URL(`./engine-host${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
);

/** Running from TypeScript sources (tests, `nx serve`): the child needs the same loader and conditions. */
const sourceExecArgv = hostPath.endsWith('.ts') ? ['--conditions=@gantry/source', '--import', 'tsx'] : [];

export type EngineRun = Omit<Extract<EngineRequest, { kind: 'run' }>, 'kind'>;

export type EngineOutcome =
  | { kind: 'result'; output: unknown; model: ModelInfo | null }
  | { kind: 'failed'; error: ErrorInfo };

interface Pending {
  resolve: (outcome: EngineOutcome) => void;
  onProgress: (pct: number, message: string | null) => void;
}

/**
 * One child process that hosts the worker's engines and runs the jobs the pool gives it: one at a time,
 * or several of shared types at once (each answer carries its job id).
 */
export class EngineProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<{ models: ModelInfo[]; types: string[]; device: EngineDevice | null }>;
  private readonly pending = new Map<string, Pending>();
  private exited = false;

  constructor(modulePath: string, env: NodeJS.ProcessEnv, nodeFlags: readonly string[] = []) {
    this.child = fork(hostPath, [modulePath], {
      execArgv: [
        ...process.execArgv.filter((arg) => !arg.startsWith('--inspect')),
        ...sourceExecArgv,
        ...nodeFlags,
      ],
      env: { ...env, ORT_DISABLE_TELEMETRY: '1' },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    lowerPriority(this.child.pid);
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (reply: EngineReply) => {
        if (reply.kind === 'ready') resolve(reply);
        else if (reply.kind === 'setup-failed')
          reject(GantryError.fromInfo(reply.error, 'MODEL_UNAVAILABLE'));
      };
      this.child.on('message', onMessage);
      this.child.once('exit', (code, signal) =>
        reject(new GantryError('ENGINE_CRASHED', `engine process exited during setup (${signal ?? code})`)),
      );
    });
    this.ready.catch(() => undefined);
    this.child.on('message', (reply: EngineReply) => this.onReply(reply));
    this.child.once('exit', (code, signal) => {
      this.exited = true;
      const error = new GantryError(
        'ENGINE_CRASHED',
        `engine process exited (${signal ?? code}) while running the job`,
      ).toInfo();
      for (const pending of this.pending.values()) pending.resolve({ kind: 'failed', error });
      this.pending.clear();
    });
  }

  get alive(): boolean {
    return !this.exited;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  run(job: EngineRun, onProgress: (pct: number, message: string | null) => void): Promise<EngineOutcome> {
    if (this.pending.has(job.jobId)) throw new Error(`engine process already runs job ${job.jobId}`);
    if (this.exited) {
      return Promise.resolve({
        kind: 'failed',
        error: new GantryError('ENGINE_CRASHED', 'engine process is gone').toInfo(),
      });
    }
    return new Promise((resolve) => {
      this.pending.set(job.jobId, { resolve, onProgress });
      this.send({ kind: 'run', ...job });
    });
  }

  abort(jobId: string): void {
    this.send({ kind: 'abort', jobId });
  }

  /** SIGKILL and wait until the process is really gone. */
  async kill(): Promise<void> {
    if (this.exited) return;
    const exit = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exit;
  }

  private send(request: EngineRequest): void {
    if (this.child.connected) this.child.send(request);
  }

  private onReply(reply: EngineReply): void {
    if (!('jobId' in reply)) return;
    const current = this.pending.get(reply.jobId);
    if (!current) return;
    if (reply.kind === 'progress') {
      current.onProgress(reply.pct, reply.message);
      return;
    }
    this.pending.delete(reply.jobId);
    current.resolve(
      reply.kind === 'result' ? { kind: 'result', output: reply.output, model: reply.model } : reply,
    );
  }
}

/**
 * Inference may take every core; the worker's own process (lock renewal, heartbeats, cancel) and a
 * gateway on the same node must still answer at once, so engines run at a lower CPU priority. On an
 * otherwise idle node this costs them nothing.
 */
function lowerPriority(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    setPriority(pid, 10);
  } catch {
    // Not permitted in some sandboxes; the engine then runs at normal priority.
  }
}
