import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** What a bench child process says to the bench. */
export type ChildReply =
  | { kind: 'ready'; url: string | null; pids: number[] }
  | { kind: 'stats'; stats: ProcessStats };
/** What the bench asks a child process. */
export type ChildRequest = { kind: 'stats' } | { kind: 'stop' };

export interface ProcessStats {
  /** Resident memory, in bytes. */
  rss: number;
  /** CPU time used so far (user + system), in milliseconds. */
  cpuMs: number;
  /** Young-generation collections (scavenges) so far, and their pauses in all, in milliseconds. */
  scavenges: number;
  scavengeMs: number;
}

/** True when the bench runs from its TypeScript sources (the smoke test) rather than from dist. */
export const fromSources = import.meta.url.endsWith('.ts');
/** Children run the same build as the bench: sources (tests) need tsx and the source condition. */
export const childExecArgv = fromSources ? ['--conditions=@gantry/source', '--import', 'tsx'] : [];

/** A file of the bench (`gateway-process`, `bench-worker` …), in sources or in dist like this file. */
export const benchFile = (name: string) =>
  fileURLToPath(new URL(`./${name}${fromSources ? '.ts' : '.js'}`, import.meta.url));

/**
 * A server the bench runs in its own process, so its CPU and memory are its own and the load
 * generator never shares its event loop. Its output is kept quiet and shown only if it dies.
 */
export class ChildService {
  private stopping = false;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    private readonly tail: string[],
    readonly url: string | null,
    /** Processes the child started (a worker's engine processes). */
    readonly pids: readonly number[],
  ) {
    child.once('exit', (code, signal) => {
      if (!this.stopping) {
        console.error(
          `[bench] ${name} exited (${signal ?? code}); its last output:\n${this.tail.join('\n')}`,
        );
      }
    });
  }

  /** `nodeFlags`: Node and V8 flags of this child alone (e.g. `--max-semi-space-size=64`). */
  static async start(
    name: string,
    entry: string,
    env: NodeJS.ProcessEnv,
    nodeFlags: readonly string[] = [],
    timeoutMs = 60_000,
  ) {
    const child = fork(benchFile(entry), [], {
      env: { ...process.env, ...env, ORT_DISABLE_TELEMETRY: '1' },
      execArgv: [...childExecArgv, ...nodeFlags],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const tail: string[] = [];
    const keep = (chunk: Buffer) => {
      tail.push(...chunk.toString().trimEnd().split('\n'));
      tail.splice(0, Math.max(0, tail.length - 40));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const ready = await new Promise<ChildReply & { kind: 'ready' }>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name} did not start in ${timeoutMs} ms`)),
        timeoutMs,
      );
      child.on('message', (reply: ChildReply) => {
        if (reply.kind !== 'ready') return;
        clearTimeout(timer);
        resolve(reply);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited while starting (${signal ?? code}):\n${tail.join('\n')}`));
      });
    }).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
    return new ChildService(name, child, tail, ready.url, ready.pids);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Memory and CPU of the child itself (not of processes it started). */
  stats(): Promise<ProcessStats> {
    return new Promise((resolve, reject) => {
      const onReply = (reply: ChildReply) => {
        if (reply.kind !== 'stats') return;
        this.child.off('message', onReply);
        resolve(reply.stats);
      };
      this.child.on('message', onReply);
      if (!this.child.connected) reject(new Error(`${this.name} is gone`));
      else this.child.send({ kind: 'stats' } satisfies ChildRequest);
    });
  }

  /** Asks the child to close cleanly; kills it if it takes longer than `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.stopping = true;
    const exited = once(this.child, 'exit');
    if (this.child.connected) this.child.send({ kind: 'stop' } satisfies ChildRequest);
    else this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
