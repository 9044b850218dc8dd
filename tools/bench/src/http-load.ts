import autocannon from 'autocannon';

export interface HttpLoadOptions {
  url: string;
  /** One path, or several that each connection cycles through. */
  paths: readonly string[];
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  /** Run for this long… */
  durationS?: number;
  /** …or until this many requests have been answered. */
  amount?: number;
  /** Requests per second over all connections; without it, as fast as the server answers. */
  overallRate?: number;
  /** Replace `[<id>]` in headers and body with a fresh id per request (Idempotency-Key). */
  uniqueIds?: boolean;
}

export interface HttpLoadResult {
  /** 2xx answers per second. */
  perSecond: number;
  ok: number;
  /** Non-2xx answers, connection errors and timeouts. */
  failed: number;
  p50Ms: number;
  p99Ms: number;
  durationS: number;
}

/** Closed-loop HTTP load with autocannon (keep-alive connections, HDR latency histogram). */
export async function httpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    ...(options.amount === undefined ? { duration: options.durationS ?? 10 } : { amount: options.amount }),
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
    idReplacement: options.uniqueIds ?? false,
    timeout: 30,
    // autocannon notices the end (duration or amount) at its next sample; the default 1 s is too coarse.
    sampleInt: 100,
    requests: options.paths.map((path) => ({
      method: options.method,
      path,
      headers: options.headers ?? {},
      ...(options.body === undefined ? {} : { body: options.body }),
    })),
  });
  const ok = result['2xx'];
  return {
    perSecond: ok / result.duration,
    ok,
    failed: result.non2xx + result.errors + result.timeouts,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    durationS: result.duration,
  };
}
