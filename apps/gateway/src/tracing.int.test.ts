import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { flushTracing, stopTracing } from '@gantry/observability';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from './start-gateway.js';
import { type GatewayHarness, startGatewayHarness } from './testing/gateway-harness.js';
import { until } from './testing/until.js';

// A real OTLP/HTTP endpoint (JSON), a real gateway and worker on the real Redis and PostgreSQL. Both run in
// this process, so they share one tracer provider: what is checked is the trace, carried through the job.
interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
}
const spans: ExportedSpan[] = [];
let collector: Server;

let harness: GatewayHarness;
let gateway: RunningGateway;
let key = '';

beforeAll(async () => {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (
        req.method !== 'POST' ||
        req.url !== '/v1/traces' ||
        !/json/.test(req.headers['content-type'] ?? '')
      ) {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString()) as {
        resourceSpans: { scopeSpans: { spans: ExportedSpan[] }[] }[];
      };
      for (const resource of body.resourceSpans)
        for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] =
    `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  process.env['OTEL_EXPORTER_OTLP_PROTOCOL'] = 'http/json';

  harness = await startGatewayHarness({ name: 'trace', worker: { heartbeatMs: 300 } });
  ({ gateway } = harness);
  key = await harness.key({ tenant: 'acme', name: 'test', scopes: ['jobs'] });
}, 60_000);

afterAll(async () => {
  await harness?.close();
  await stopTracing();
  await new Promise((resolve) => collector?.close(resolve));
  delete process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  delete process.env['OTEL_EXPORTER_OTLP_PROTOCOL'];
});

describe('traces from the HTTP request through the queue into the worker and the engine', () => {
  it('exports gateway and worker spans of one trace, the job span under the request span', async () => {
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    // The worker's test types are announced a moment after it starts: retried until the type is known.
    const reply = await until(
      () =>
        fetch(`${gateway.url}/v1/jobs/test.sleep`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'application/json',
            prefer: 'wait=10',
            traceparent: `00-${callerTrace}-${callerSpan}-01`,
          },
          body: JSON.stringify({ input: { ms: 10 } }),
        }),
      (res) => res.status !== 404,
      15_000,
      100,
    );
    expect(reply.status).toBe(200);
    expect(((await reply.json()) as { status: string }).status).toBe('succeeded');
    expect(reply.headers.get('x-trace-id')).toBe(callerTrace);

    const exported = await until(
      async () => {
        await flushTracing();
        return spans.filter((span) => span.traceId === callerTrace);
      },
      (found) =>
        ['engine', 'job', 'enqueue', 'POST /v1/jobs/:type'].every((n) => found.some((s) => s.name === n)),
      15_000,
      100,
    );
    const byId = new Map(exported.map((span) => [span.spanId, span]));
    const chain = (span: ExportedSpan | undefined): string[] =>
      span ? [span.name, ...chain(span.parentSpanId ? byId.get(span.parentSpanId) : undefined)] : [];
    const engine = exported.find((span) => span.name === 'engine');
    expect(chain(engine)).toEqual(['engine', 'job', 'enqueue', 'POST /v1/jobs/:type']);
    const request = exported.find((span) => span.name === 'POST /v1/jobs/:type');
    expect(request?.parentSpanId).toBe(callerSpan);
    // SERVER, PRODUCER, CONSUMER in OTLP's numbering.
    expect(exported.find((span) => span.name === 'job')?.kind).toBe(5);
    expect(request?.kind).toBe(2);
  });
});
