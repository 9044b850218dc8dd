import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** One app of the stack, run from its build output with plain node; its output is prefixed. */
export class AppProcess {
  private child: ChildProcess | null = null;
  private stopping = false;

  constructor(
    readonly name: string,
    private readonly entry: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    const child = spawn(process.execPath, [this.entry], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const prefix = `[${this.name}] `;
    const forward = (chunk: Buffer) => process.stdout.write(chunk.toString().replace(/^(?=.)/gm, prefix));
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      // A crashed app is restarted after a pause, as a process manager would.
      this.log(`${this.name} exited (${signal ?? code}); restarting in 2 s`);
      setTimeout(() => !this.stopping && this.start(), 2_000).unref();
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}
