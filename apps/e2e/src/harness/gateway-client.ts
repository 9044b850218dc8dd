import { ErrorBody, JobList, JobObject, WorkerAnnouncement } from '@gantry/contracts';
import { waitUntil } from './wait-until.js';

export interface Reply<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** The public HTTP API of one gateway replica, as a client with an API key sees it. */
export class GatewayClient {
  constructor(
    readonly baseUrl: string,
    private readonly key: string,
  ) {}

  fetch(route: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.baseUrl}${route}`, {
      ...init,
      headers: { authorization: `Bearer ${this.key}`, ...(init.headers as Record<string, string>) },
    });
  }

  /** `POST /v1/jobs/{type}`; the body is a job on 2xx and an error otherwise. */
  async submit(
    type: string,
    input: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<JobObject | ErrorBody>> {
    const res = await this.fetch(`/v1/jobs/${type}`, {
      method: 'POST',
      body: JSON.stringify({ input }),
      headers: { 'content-type': 'application/json', ...headers },
    });
    const json: unknown = await res.json();
    return {
      status: res.status,
      headers: res.headers,
      body: res.ok ? JobObject.parse(json) : ErrorBody.parse(json),
    };
  }

  /** Submits and expects 202: the accepted job. */
  async accept(type: string, input: unknown): Promise<JobObject> {
    const reply = await this.submit(type, input);
    if (reply.status !== 202)
      throw new Error(`POST ${type} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply.body as JobObject;
  }

  async job(id: string): Promise<JobObject> {
    const res = await this.fetch(`/v1/jobs/${id}`);
    if (res.status !== 200) throw new Error(`GET /v1/jobs/${id} answered ${res.status}: ${await res.text()}`);
    return JobObject.parse(await res.json());
  }

  /** `GET /v1/jobs` (read from Postgres). */
  async list(query = ''): Promise<JobObject[]> {
    const res = await this.fetch(`/v1/jobs${query ? `?${query}` : ''}`);
    if (res.status !== 200) throw new Error(`GET /v1/jobs answered ${res.status}: ${await res.text()}`);
    return JobList.parse(await res.json()).data;
  }

  async workers(): Promise<WorkerAnnouncement[]> {
    const res = await this.fetch('/v1/workers');
    if (res.status !== 200) throw new Error(`GET /v1/workers answered ${res.status}: ${await res.text()}`);
    const { data } = (await res.json()) as { data: unknown[] };
    return data.map((worker) => WorkerAnnouncement.parse(worker));
  }

  /** The announcement of the worker with this pid, once it is there (and `state` if given). */
  worker(pid: number, state?: WorkerAnnouncement['state'], timeoutMs = 10_000): Promise<WorkerAnnouncement> {
    return waitUntil(
      async () => (await this.workers()).find((worker) => worker.pid === pid),
      (worker) => worker !== undefined && (state === undefined || worker.state === state),
      { what: `worker pid ${pid} in GET /v1/workers${state ? ` as ${state}` : ''}`, timeoutMs },
    ) as Promise<WorkerAnnouncement>;
  }

  /** Polls `GET /v1/jobs/{id}` until `done` holds. */
  waitForJob(id: string, done: (job: JobObject) => boolean, timeoutMs = 15_000): Promise<JobObject> {
    return waitUntil(() => this.job(id), done, { what: `job ${id}`, timeoutMs, intervalMs: 100 });
  }

  /** Waits until the gateway's catalogue serves a job type (announced types refresh every few seconds). */
  async waitForJobType(type: string, timeoutMs = 10_000): Promise<void> {
    await waitUntil(
      async () => (await (await this.fetch('/v1/job-types')).json()) as { data?: { type: string }[] },
      (body) => body.data?.some((entry) => entry.type === type) ?? false,
      { what: `job type ${type} in the catalogue`, timeoutMs, intervalMs: 200 },
    );
  }
}
