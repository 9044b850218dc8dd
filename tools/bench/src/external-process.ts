import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

// Processes this bench started and has not seen end: killed when the bench exits, however it exits,
// so an aborted run leaves no Python or Redis server behind.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * A server the bench runs that is not one of its Node entries (redis-server, uvicorn, a Celery
 * worker). Its output is kept quiet, searched for a ready line, and shown only if it dies.
 */
export class ExternalProcess {
  private stopping = false;
  private readonly tail: string[] = [];
  private readonly exited: Promise<unknown>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    live.add(child);
    this.exited = once(child, 'exit');
    const keep = (chunk: Buffer) => {
      this.tail.push(...chunk.toString().trimEnd().split('\n'));
      this.tail.splice(0, Math.max(0, this.tail.length - 40));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code, signal) => {
      live.delete(child);
      if (!this.stopping)
        console.error(`[bench] ${name} exited (${signal ?? code}); its last output:\n${this.output()}`);
    });
  }

  static start(
    name: string,
    command: string,
    args: readonly string[],
    options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
  ): ExternalProcess {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // A missing command is an 'error' event, not an exception: without a listener it would kill the bench.
    child.once('error', (error) => console.error(`[bench] ${name}: ${error.message}`));
    return new ExternalProcess(name, child);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  output(): string {
    return this.tail.join('\n');
  }

  /** Resolves once a line of its output contains `text`; rejects if it exits or takes too long. */
  async waitForOutput(text: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.tail.some((line) => line.includes(text))) {
      if (!this.running) throw new Error(`${this.name} exited while starting:\n${this.output()}`);
      if (Date.now() > deadline)
        throw new Error(`${this.name} was not ready in ${timeoutMs} ms:\n${this.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Resolves once `probe` answers true; rejects if the process exits or takes too long. */
  async waitUntil(probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await probe().catch(() => false))) {
      if (!this.running) throw new Error(`${this.name} exited while starting:\n${this.output()}`);
      if (Date.now() > deadline)
        throw new Error(`${this.name} was not ready in ${timeoutMs} ms:\n${this.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** SIGTERM (a warm shutdown for Celery and uvicorn), then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
