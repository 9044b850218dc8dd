import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { setPriority } from 'node:os';
import { benchFile, childExecArgv } from './child-service.js';

export interface FairEngineRequest {
  jobId: string;
  input: { n?: number };
}
export interface FairEngineReply {
  jobId: string;
  output: { n: number };
}

/**
 * The fair baseline's engine process, from the worker's side: a child process at nice 10 with an
 * IPC channel ('advanced' serialization), started and spoken to as the Gantry runtime starts its
 * engines, one job at a time.
 */
export class FairEngine {
  private waiting: ((reply: FairEngineReply) => void) | null = null;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: FairEngineReply) => {
      const resolve = this.waiting;
      this.waiting = null;
      resolve?.(reply);
    });
  }

  static start(): FairEngine {
    const child = fork(benchFile('fair-engine-process'), [], {
      execArgv: childExecArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    if (child.pid !== undefined) setPriority(child.pid, 10);
    return new FairEngine(child);
  }

  run(request: FairEngineRequest): Promise<FairEngineReply> {
    if (this.waiting) throw new Error('a fair engine runs one job at a time');
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.child.send(request);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.disconnect();
    await exited;
  }
}
