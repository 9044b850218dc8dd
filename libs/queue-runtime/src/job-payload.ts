/** What a BullMQ job carries: enough to run it without reading the job hash. */
export interface JobPayload {
  id: string;
  tenant: string;
  type: string;
  input: unknown;
  max_attempts: number;
  timeout_ms: number;
  backoff_ms: number;
  /** Correlates the gateway's request log with the worker's and engine's job logs. */
  trace_id?: string;
  /** Times a shutting-down worker handed the job back unfinished; those starts are not attempts. */
  handed_back?: number;
}
