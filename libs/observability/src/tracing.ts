import {
  context,
  propagation,
  type Attributes,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export { SpanKind, type Span };

/** What tracing needs of the environment: the standard OpenTelemetry variables, read as they are. */
export interface TracingEnv {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string | undefined;
  OTEL_SDK_DISABLED?: string | undefined;
  OTEL_SERVICE_NAME?: string | undefined;
}

let provider: NodeTracerProvider | null = null;

/**
 * Starts exporting spans over OTLP/HTTP (JSON) when an OTLP endpoint is configured; otherwise nothing is
 * registered and every span below is OpenTelemetry's no-op, so tracing off costs a few function calls.
 * The exporter reads the rest of the standard variables itself (headers, timeout, the traces endpoint).
 * Once per process: a gateway and a worker in one process (tests) share the first provider.
 */
export function startTracing(service: string, env: TracingEnv = process.env): boolean {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (provider || !endpoint || env.OTEL_SDK_DISABLED === 'true') return provider !== null;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? service }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // Registers the AsyncLocalStorage context manager and the W3C trace-context propagator.
  provider.register();
  return true;
}

/** Sends the spans still buffered; a shutdown calls it so the last requests' spans are not lost. */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}

/**
 * Sends what is buffered, stops the exporter and unregisters the provider: spans are no-ops again and a
 * later startTracing starts afresh. For test files that share one process (vitest without isolation),
 * so one file's tracing does not go on exporting through the files after it.
 */
export async function stopTracing(): Promise<void> {
  const stopping = provider;
  provider = null;
  if (!stopping) return;
  await stopping.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
}

const tracer = () => trace.getTracer('gantry');

/**
 * Runs `work` in a new span, a child of the active one or of `parent` (a W3C `traceparent`, as carried
 * by a job); the span ends when `work` settles and records a thrown error.
 */
export async function inSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes; parent?: string | undefined },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent
    ? propagation.extract(context.active(), { traceparent: options.parent })
    : context.active();
  return tracer().startActiveSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      ...(options.attributes ? { attributes: options.attributes } : {}),
    },
    parent,
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * A span that runs until the caller ends it (an HTTP request ends with its response), and the context
 * to run the request's handlers in; `parent` is the caller's `traceparent` header.
 */
export function startRequestSpan(name: string, parent: string | undefined, attributes: Attributes) {
  const parentContext = parent
    ? propagation.extract(context.active(), { traceparent: parent })
    : context.active();
  const span = tracer().startSpan(name, { kind: SpanKind.SERVER, attributes }, parentContext);
  const active = trace.setSpan(parentContext, span);
  return { span, run: <T>(work: () => T): T => context.with(active, work) };
}

/** The active span's W3C `traceparent`, to carry in a job; undefined while tracing is off. */
export function activeTraceparent(): string | undefined {
  const carrier: { traceparent?: string } = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}
