import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { LogBuffer } from './log-buffer.js';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcessOptions {
  /** Name in the log buffer, e.g. `gateway-a`. */
  name: string;
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logs: LogBuffer;
}

// Every process group this test process started and has not seen end: killed when it exits, however
// it exits, so an aborted run leaves no orphan holding a port or a CPU.
const live = new Set<number>();
process.once('exit', () => {
  for (const pgid of live) signalGroup(pgid, 'SIGKILL');
});

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/**
 * One real OS process of the platform, in a process group of its own (so its engine processes can be
 * swept up at the end), with its output captured line by line into the file's log buffer.
 */
export class ManagedProcess {
  readonly name: string;
  readonly exited: Promise<ProcessExit>;
  private readonly child: ChildProcess;
  private exit: ProcessExit | null = null;

  constructor(private readonly options: ManagedProcessOptions) {
    this.name = options.name;
    this.child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = this.child.pid;
    if (pid === undefined) throw new Error(`could not start ${options.name} (${options.command})`);
    live.add(pid);
    this.child.stdout?.on('data', (chunk: Buffer) => options.logs.add(this.name, chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => options.logs.add(this.name, chunk.toString()));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        options.logs.add('harness', `${this.name} (pid ${pid}) exited with ${signal ?? code}`);
        resolve(this.exit);
      });
    });
  }

  get pid(): number {
    return this.child.pid as number;
  }

  get running(): boolean {
    return this.exit === null;
  }

  get exitStatus(): ProcessExit | null {
    return this.exit;
  }

  /** Direct children right now (a worker's engine processes). */
  childPids(): number[] {
    try {
      const text = readFileSync(`/proc/${this.pid}/task/${this.pid}/children`, 'utf8');
      return text.split(' ').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  }

  /** Sends a signal to this process only, as an orchestrator or the kernel's OOM killer would. */
  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGKILL, and wait until the process is gone (its children are left to fend for themselves). */
  async kill(): Promise<ProcessExit> {
    this.signal('SIGKILL');
    return this.exited;
  }

  /** A polite stop: `signal`, then SIGKILL for the whole group if it is not gone after `timeoutMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<ProcessExit> {
    if (this.running) {
      this.signal(signal);
      const timer = setTimeout(() => {
        this.options.logs.add('harness', `${this.name} ignored ${signal} for ${timeoutMs} ms; SIGKILL`);
        signalGroup(this.pid, 'SIGKILL');
      }, timeoutMs);
      await this.exited;
      clearTimeout(timer);
    }
    this.sweep();
    return this.exit as ProcessExit;
  }

  /** Kills whatever is left of the process group (engine processes that outlived their worker). */
  sweep(): void {
    signalGroup(this.pid, 'SIGKILL');
    live.delete(this.pid);
  }
}

/** Whether a pid is still a live process (a zombie counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return false;
  }
}
