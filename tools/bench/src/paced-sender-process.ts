/**
 * Child entry of `pacedLoad`: sends one even-rate pass with `node:http` and reports each answer's
 * latency. A process of its own, so that the bench's stats polls, its PostgreSQL pool and the
 * garbage of earlier passes never stall the clock that times the server.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { PacedLoadOptions, PacedReport } from './paced-load.js';

function sendPass(pass: PacedLoadOptions): Promise<PacedReport> {
  const target = new URL(pass.url);
  // One keep-alive connection per request in flight, as a fleet of clients would hold them.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const total = Math.round(pass.ratePerSecond * pass.durationS);
  const intervalMs = 1_000 / pass.ratePerSecond;
  const latencies: number[] = [];
  let failed = 0;
  let answered = 0;
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const started = performance.now();

  return new Promise((resolve) => {
    const settle = () => {
      answered += 1;
      if (answered < total) return;
      loopDelay.disable();
      agent.destroy();
      resolve({
        latencies,
        failed,
        durationS: (performance.now() - started) / 1_000,
        senderDelayMaxMs: loopDelay.max / 1e6,
      });
    };
    const send = () => {
      const headers: Record<string, string> = {
        ...pass.headers,
        ...(pass.idempotencyKeys ? { 'idempotency-key': `bench-${randomUUID()}` } : {}),
        ...(pass.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(pass.body)) }),
      };
      const sentAt = performance.now();
      const request = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: pass.method,
          agent,
          headers,
        },
        (response) => {
          response.resume();
          response.once('end', () => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) latencies.push(performance.now() - sentAt);
            else failed += 1;
            settle();
          });
        },
      );
      request.once('error', () => {
        failed += 1;
        settle();
      });
      request.end(pass.body);
    };
    void (async () => {
      for (let i = 0; i < total; i += 1) {
        const wait = started + i * intervalMs - performance.now();
        if (wait > 1) await new Promise((done) => setTimeout(done, wait));
        send();
      }
      if (total === 0) resolve({ latencies, failed, durationS: 0, senderDelayMaxMs: 0 });
    })();
  });
}

process.once('message', (pass: PacedLoadOptions) => {
  void sendPass(pass).then((report) => process.send?.(report, () => process.exit(0)));
});
