import { freePort } from './free-port.js';
import type { LogBuffer } from './log-buffer.js';
import { ManagedProcess, type ProcessExit } from './managed-process.js';
import { appEntry, repoRoot } from './repo-paths.js';
import { waitUntil } from './wait-until.js';

/**
 * A gateway replica run from its build output (`node apps/gateway/dist/main.js`). It keeps its port
 * across restarts, so clients and URLs stay valid when a test brings it back.
 */
export class GatewayProcess {
  private current: ManagedProcess | null = null;
  private starts = 0;

  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logs: LogBuffer,
  ) {}

  static async start(name: string, env: NodeJS.ProcessEnv, logs: LogBuffer): Promise<GatewayProcess> {
    const gateway = new GatewayProcess(name, await freePort(), env, logs);
    await gateway.start();
    return gateway;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.current?.running ?? false;
  }

  /** Starts the process and waits for `/readyz` to answer 200 (Redis and Postgres reachable). */
  async start(): Promise<void> {
    if (this.running) return;
    this.starts += 1;
    const process = new ManagedProcess({
      name: this.starts === 1 ? this.name : `${this.name}#${this.starts}`,
      command: globalThis.process.execPath,
      args: [appEntry('gateway')],
      // Metrics on a free port of their own: replicas on one machine must not fight over the default.
      env: {
        ...this.env,
        GATEWAY_HOST: '127.0.0.1',
        GATEWAY_PORT: String(this.port),
        GATEWAY_METRICS_PORT: '0',
      },
      cwd: repoRoot,
      logs: this.logs,
    });
    this.current = process;
    try {
      await waitUntil(
        async () => (process.running ? (await fetch(`${this.url}/readyz`)).status : -1),
        (status) => status === 200 || status === -1,
        { what: `${this.name} /readyz`, timeoutMs: 20_000, context: () => this.logs.tail(30, process.name) },
      );
      if (!process.running) throw new Error(`${this.name} exited at start`);
    } catch (error) {
      await process.stop('SIGKILL');
      this.current = null;
      throw error;
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<ProcessExit | null> {
    const exit = (await this.current?.stop(signal)) ?? null;
    this.current = null;
    return exit;
  }

  /** SIGKILL: no shutdown code runs, as in a crash or an OOM kill. */
  async kill(): Promise<void> {
    await this.current?.kill();
    this.current?.sweep();
    this.current = null;
  }
}
