import type { ErrorInfo, JobObject } from '@gantry/contracts';
import { isTerminal } from '@gantry/contracts';

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A job as the API answers it, with the output read as the test expects it. */
export type Job<TOutput = unknown> = Omit<JobObject, 'output'> & { output: TOutput | null };

export type ErrorReply = { error: ErrorInfo & { details: { issues?: Issue[] } & Record<string, unknown> } };
export interface Issue {
  path: (string | number)[];
  message: string;
  code: string;
}

export interface SseEvent {
  id: string;
  event: string;
  data: unknown;
}

/** The public HTTP API as a client sees it; nothing here reaches into Redis or Postgres. */
export class GantryClient {
  constructor(
    readonly url: string,
    private readonly key: string,
  ) {}

  async request<T>(route: string, init: RequestInit = {}): Promise<Reply<T>> {
    const res = await fetch(`${this.url}${route}`, {
      ...init,
      headers: { authorization: `Bearer ${this.key}`, ...(init.headers as Record<string, string>) },
    });
    const text = await res.text();
    const json = res.headers.get('content-type')?.includes('json');
    return { status: res.status, headers: res.headers, body: (json && text ? JSON.parse(text) : text) as T };
  }

  /** `POST /v1/jobs/{type}` with a JSON body; `waitS` sends `Prefer: wait=N`. */
  submit<T = Job>(type: string, input: unknown, waitS = 0): Promise<Reply<T>> {
    return this.request<T>(`/v1/jobs/${type}`, {
      method: 'POST',
      body: JSON.stringify({ input }),
      headers: { 'content-type': 'application/json', ...(waitS > 0 ? { prefer: `wait=${waitS}` } : {}) },
    });
  }

  /** `POST /v1/jobs/{type}` as multipart: the file streams into the blob store, `input` is the rest. */
  upload<T = Job>(
    type: string,
    file: { bytes: Uint8Array; filename: string; contentType?: string },
    input: Record<string, unknown> = {},
    waitS = 0,
  ): Promise<Reply<T>> {
    const form = new FormData();
    const blob = new Blob([new Uint8Array(file.bytes)], {
      type: file.contentType ?? 'application/octet-stream',
    });
    form.set('file', blob, file.filename);
    if (Object.keys(input).length > 0) form.set('input', JSON.stringify(input));
    return this.request<T>(`/v1/jobs/${type}`, {
      method: 'POST',
      body: form,
      headers: waitS > 0 ? { prefer: `wait=${waitS}` } : {},
    });
  }

  /**
   * Uploads a job with `Prefer: wait=waitS` and returns it ended: the gateway's answer when the job ended
   * in time, else polled until it does. A refusal (4xx, 5xx) throws with the gateway's body.
   */
  async uploadAndWait<TOutput = unknown>(
    type: string,
    file: { bytes: Uint8Array; filename: string },
    input: Record<string, unknown> = {},
    waitS = 30,
  ): Promise<Job<TOutput>> {
    const reply = await this.upload<Job<TOutput>>(type, file, input, waitS);
    if (reply.status !== 200 && reply.status !== 202) {
      throw new Error(`POST ${type} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    }
    return reply.status === 200 ? reply.body : this.waitFor<TOutput>(reply.body.id);
  }

  async job<TOutput = unknown>(id: string): Promise<Job<TOutput>> {
    const reply = await this.request<Job<TOutput>>(`/v1/jobs/${id}`);
    if (reply.status !== 200) throw new Error(`GET /v1/jobs/${id} answered ${reply.status}`);
    return reply.body;
  }

  cancel(id: string): Promise<Reply<Job>> {
    return this.request<Job>(`/v1/jobs/${id}/cancel`, { method: 'POST' });
  }

  /** A binary answer (a blob's bytes), with its status and content type. */
  async bytes(route: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
    const res = await fetch(`${this.url}${route}`, { headers: { authorization: `Bearer ${this.key}` } });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      bytes: Buffer.from(await res.arrayBuffer()),
    };
  }

  /** Polls the job until `done` holds for it (default: it ended). */
  async waitFor<TOutput = unknown>(
    id: string,
    done: (job: Job<TOutput>) => boolean = (job) => isTerminal(job.status),
    timeoutMs = 30_000,
  ): Promise<Job<TOutput>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await this.job<TOutput>(id);
      if (done(job)) return job;
      if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Reads the job's SSE stream to its end (the `completed` event) and parses every event. */
  async events(id: string): Promise<SseEvent[]> {
    const reply = await this.request<string>(`/v1/jobs/${id}/events`);
    if (!reply.headers.get('content-type')?.includes('text/event-stream')) {
      throw new Error(`GET /v1/jobs/${id}/events answered ${reply.status} without an event stream`);
    }
    return reply.body
      .split('\n\n')
      .filter((block) => block.startsWith('id:'))
      .map((block) => {
        const field = (name: string) =>
          block
            .split('\n')
            .find((line) => line.startsWith(`${name}: `))
            ?.slice(name.length + 2) ?? '';
        return { id: field('id'), event: field('event'), data: JSON.parse(field('data')) as unknown };
      });
  }
}
