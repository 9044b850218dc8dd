import type { HttpLoadResult } from './http-load.js';
import { latencyStats } from './latency-stats.js';

export interface PacedLoadOptions {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Built per request, so each may carry its own Idempotency-Key. */
  request?: () => { headers?: Record<string, string>; body?: string };
  ratePerSecond: number;
  durationS: number;
}

/**
 * Open-loop load at an even rate: a request every 1/rate seconds whether or not the previous ones
 * have been answered. (autocannon's rate limit sends each second's quota in one burst, which
 * measures its own bursts rather than the server.) Latency is timed from each request's send.
 */
export async function pacedLoad(options: PacedLoadOptions): Promise<HttpLoadResult> {
  const intervalMs = 1_000 / options.ratePerSecond;
  const total = Math.round(options.ratePerSecond * options.durationS);
  const latencies: number[] = [];
  let failed = 0;
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  const send = async () => {
    const extra = options.request?.() ?? {};
    const sentAt = performance.now();
    try {
      const res = await fetch(options.url, {
        method: options.method,
        headers: { ...options.headers, ...extra.headers },
        ...(extra.body === undefined ? {} : { body: extra.body }),
      });
      await res.arrayBuffer();
      if (res.ok) latencies.push(performance.now() - sentAt);
      else failed += 1;
    } catch {
      failed += 1;
    }
  };
  for (let i = 0; i < total; i += 1) {
    const wait = started + i * intervalMs - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send());
  }
  await Promise.all(inFlight);
  const durationS = (performance.now() - started) / 1_000;
  const stats = latencyStats(latencies);
  return {
    perSecond: latencies.length / durationS,
    ok: latencies.length,
    failed,
    p50Ms: stats.p50,
    p99Ms: stats.p99,
    durationS,
  };
}
