/** Events a job's SSE stream carries; each has a Redis stream id usable as `Last-Event-ID`. */
export type JobEventName = 'status' | 'progress' | 'output' | 'completed' | 'error';

export interface JobEvent {
  jobId: string;
  /** Redis stream entry id: monotonic per job, so a client can resume after it. */
  id: string;
  name: JobEventName;
  data: Record<string, unknown>;
}

/** Decodes a pub/sub message written by the job-state scripts: `jobId\nstreamId\nname\ndata`. */
export function parseJobEventMessage(message: string): JobEvent | null {
  const [jobId, id, name, ...rest] = message.split('\n');
  if (!jobId || !id || !name) return null;
  return {
    jobId,
    id,
    name: name as JobEventName,
    data: JSON.parse(rest.join('\n')) as Record<string, unknown>,
  };
}
