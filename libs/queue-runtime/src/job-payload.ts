/**
 * What a BullMQ job carries: what the worker needs before it reads the job's state. The input is not
 * here: it is stored once, in the job hash, and read in the round trip that marks the job running
 * (docs/adr/0006-input-stored-once.md).
 */
export interface JobPayload {
  id: string;
  tenant: string;
  type: string;
  /** Only in jobs of gateways older than ADR 0006; a worker that finds it uses it. */
  input?: unknown;
  /** Start deadline (ms since the epoch): still queued then, the job ends `expired` and never runs. */
  expires_at?: number;
  max_attempts: number;
  timeout_ms: number;
  backoff_ms: number;
  /** Correlates the gateway's request log with the worker's and engine's job logs. */
  trace_id?: string;
  /** The W3C `traceparent` of the span that enqueued the job (only while tracing is on): the worker's parent. */
  traceparent?: string;
  /** Times a shutting-down worker handed the job back unfinished; those starts are not attempts. */
  handed_back?: number;
}
