import { startRequestSpan } from '@gantry/observability';
import type { RequestHandler } from 'express';

/**
 * A server span per request, a child of the caller's `traceparent`; the handlers run in its context, so
 * the `enqueue` span and the job's `traceparent` hang under it. While tracing is on, the span's trace id
 * is the request's (`X-Trace-Id`, logs, the job's `trace_id`); off, the span is a no-op and nothing changes.
 */
export const traceRequest: RequestHandler = (req, res, next) => {
  const { span, run } = startRequestSpan(`${req.method}`, req.header('traceparent'), {
    'http.request.method': req.method,
    'url.path': req.path,
  });
  if (span.isRecording()) {
    req.traceId = span.spanContext().traceId;
    res.setHeader('X-Trace-Id', req.traceId);
    res.once('close', () => {
      // The route is known once the router matched it: low-cardinality names, as OTel asks.
      const route = (req.route as { path?: string } | undefined)?.path;
      if (route) span.updateName(`${req.method} ${route}`);
      span.setAttribute('http.response.status_code', res.statusCode);
      span.end();
    });
  }
  run(next);
};
