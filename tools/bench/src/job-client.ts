import type { ErrorBody, ErrorInfo, JobObject } from '@gantry/contracts';
import { multipartBody } from './multipart-body.js';
import { postRequest } from './post-request.js';

interface JobFile {
  bytes: Buffer;
  filename: string;
}

export type JobRequest = { input: Record<string, unknown>; file?: JobFile };

export interface JobRun {
  ok: boolean;
  status: JobObject['status'] | null;
  /** Client clock: request sent → finished job received. */
  latencyMs: number;
  /** The job's own clock: started_at → completed_at (engine process, plus the runtime's state writes). */
  engineMs: number | null;
  job: JobObject | null;
  /** Why it did not succeed: the failed job's error, or the error body the gateway answered with. */
  error: Pick<ErrorInfo, 'code' | 'message'> | null;
}

/** `POST /v1/jobs/{type}` with `Prefer: wait`, the way a client that wants the answer calls it. */
export async function runJob(
  gateway: { url: string; authorization: string },
  type: string,
  request: JobRequest,
  waitSeconds = 300,
): Promise<JobRun> {
  const headers: Record<string, string> = {
    authorization: gateway.authorization,
    prefer: `wait=${waitSeconds}`,
  };
  let body: string | Buffer;
  if (request.file) {
    const multipart = multipartBody({ input: JSON.stringify(request.input) }, request.file);
    headers['content-type'] = multipart.contentType;
    body = multipart.body;
  } else {
    headers['content-type'] = 'application/json';
    body = JSON.stringify({ input: request.input });
  }
  const started = performance.now();
  const { status, body: answer } = await postRequest(`${gateway.url}/v1/jobs/${type}`, headers, body);
  const latencyMs = performance.now() - started;
  if (status < 200 || status >= 300) {
    const { error } = answer as Partial<ErrorBody>;
    return { ok: false, status: null, latencyMs, engineMs: null, job: null, error: error ?? null };
  }
  const job = answer as JobObject;
  const finished = status === 200 && job.status === 'succeeded';
  return {
    ok: finished,
    status: job.status ?? null,
    latencyMs,
    engineMs:
      job.started_at && job.completed_at ? Date.parse(job.completed_at) - Date.parse(job.started_at) : null,
    job,
    error: finished ? null : (job.error ?? { code: job.status, message: `the job is ${job.status}` }),
  };
}
