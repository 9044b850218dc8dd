import { Histogram, type Registry } from '@gantry/observability';
import type { RequestHandler } from 'express';

type Labels = 'method' | 'route' | 'status';

/** `gantry_http_request_duration_seconds` by method, route template and status. */
export function requestMetrics(registry: Registry): RequestHandler {
  const latency = new Histogram<Labels>({
    name: 'gantry_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [registry],
  });
  // prom-client hashes the label object on every observation; a child per label set skips that.
  // The sets are few: Node's parser knows a fixed list of methods, and routes are templates.
  const children = new Map<string, Histogram.Internal<Labels>>();
  return (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'other';
      const key = `${req.method} ${route} ${res.statusCode}`;
      let child = children.get(key);
      if (!child) {
        child = latency.labels(req.method, route, String(res.statusCode));
        children.set(key, child);
      }
      child.observe((performance.now() - started) / 1_000);
    });
    next();
  };
}
