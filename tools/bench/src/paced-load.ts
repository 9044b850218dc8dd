import { fork } from 'node:child_process';
import { once } from 'node:events';
import { benchFile, childExecArgv } from './child-service.js';
import type { HttpLoadResult } from './http-load.js';
import { latencyStats } from './latency-stats.js';

export interface PacedLoadOptions {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Give each request a fresh `Idempotency-Key`. */
  idempotencyKeys?: boolean;
  ratePerSecond: number;
  durationS: number;
}

/** What the sender process answers. */
export interface PacedReport {
  /** Of each 2xx answer, in ms from its send. */
  latencies: number[];
  failed: number;
  durationS: number;
  /** The sender's own longest event-loop stall: what its clock may have added to a latency. */
  senderDelayMaxMs: number;
}

export interface PacedLoadResult extends HttpLoadResult {
  /** The sender's own longest event-loop stall, in ms. */
  senderDelayMaxMs: number;
}

/**
 * Open-loop load at an even rate: a request every 1/rate seconds whether or not the previous ones
 * have been answered. (autocannon's rate limit sends each second's quota in one burst, which
 * measures its own bursts rather than the server.) Latency is timed from each request's send, in a
 * sender process of its own on `node:http`: in the bench's process, on `fetch`, the sender's own
 * stalls (18–116 ms in a 10 s pass) put the bare Express server's p99 at 13–39 ms where the server's
 * own clock read 4–9 ms.
 */
export async function pacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  const sender = fork(benchFile('paced-sender-process'), [], {
    execArgv: childExecArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(sender, 'exit');
  try {
    const report = await new Promise<PacedReport>((resolve, reject) => {
      sender.once('message', resolve);
      sender.once('exit', (code, signal) => {
        reject(new Error(`the paced sender exited (${signal ?? String(code)}) before it reported`));
      });
      sender.send(options);
    });
    const stats = latencyStats(report.latencies);
    return {
      perSecond: report.durationS > 0 ? report.latencies.length / report.durationS : 0,
      ok: report.latencies.length,
      failed: report.failed,
      p50Ms: stats.p50,
      p99Ms: stats.p99,
      durationS: report.durationS,
      senderDelayMaxMs: report.senderDelayMaxMs,
    };
  } finally {
    if (sender.exitCode === null) sender.kill('SIGKILL');
    await exited;
  }
}
