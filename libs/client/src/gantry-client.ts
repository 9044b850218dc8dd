import type {
  EmailRequest,
  JobHistory,
  JobHistoryEntry,
  JobProgress,
  JobStatus,
  WebhookRequest,
  WebhookSecretObject,
  WorkerAnnouncement,
} from '@gantry/contracts';
import { JobFailedError, PipelineRunFailedError, WaitTimeoutError } from './gantry-errors.js';
import { HttpTransport } from './http-transport.js';
import { type EventsOptions, jobEventStream } from './job-event-stream.js';
import type { AnyJobType, Job, JobEvent, JobPage, SubmitInput } from './job-types.js';
import { jsonLines } from './json-lines.js';
import type {
  Batch,
  BatchRequest,
  BatchResultLine,
  Delivery,
  DeliveryChannel,
  PipelineRef,
  PipelineRun,
  Schedule,
  ScheduleRequest,
  StoredBlob,
} from './workflow-types.js';

export interface ClientOptions {
  /** The gateway, e.g. `https://gantry.example.com`; '' (the default) for the page's own origin. */
  url?: string;
  /** An API key (`gk_…`), sent as `Authorization: Bearer`. */
  apiKey?: string;
  /** Tries after the first on network errors and 429/503 answers (default 3). */
  maxRetries?: number;
  /** A fetch of your own (a proxy agent, a test double); the global one by default. */
  fetch?: typeof fetch;
}

export interface SubmitOptions {
  /** A file for the type's file field (`file`): sent as multipart, streamed into the blob store. */
  file?: Blob;
  /** The file's name, where `file` is a plain Blob rather than a File. */
  filename?: string;
  /** 1 runs first … 10; without one, plain FIFO. */
  priority?: number;
  /** Seconds the job may wait for a worker before it ends `expired`. */
  expiresIn?: number;
  /** Signed POSTs on the job's statuses (the final ones by default); its log is `deliveries(id, 'webhook')`. */
  webhook?: WebhookRequest;
  /** E-mail reports on the job's statuses (the final ones by default). */
  email?: EmailRequest;
  /** Makes retries safe: the same key and input give the same job. One is made up when left out. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

interface WaitOptions {
  /** Wait for the end (default true); false returns the queued job or run at once. */
  wait?: boolean;
  /** Stop waiting after this long with a `WaitTimeoutError` (the job goes on). */
  timeoutMs?: number;
  /** Called with each progress report while it runs. */
  onProgress?: (progress: JobProgress) => void;
  signal?: AbortSignal;
}

export interface RunOptions extends SubmitOptions, WaitOptions {}

export interface SubmitPipelineOptions {
  /** A file for the pipeline input's `file`: uploaded first (`POST /v1/blobs`), then referenced. */
  file?: Blob;
  /** The file's name, where `file` is a plain Blob rather than a File. */
  filename?: string;
  /** 1 runs first … 10; without one, plain FIFO. */
  priority?: number;
  /** Seconds the run may wait for a worker before it ends `expired`. */
  expiresIn?: number;
  /** A released version of a named pipeline; its latest by default. */
  version?: number;
  /** Makes retries safe: the same key and input give the same run. One is made up when left out. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface RunPipelineOptions extends SubmitPipelineOptions, WaitOptions {}

export interface ListQuery {
  type?: AnyJobType;
  status?: JobStatus | readonly JobStatus[];
  createdAfter?: Date | string;
  createdBefore?: Date | string;
  /** Jobs per page, 1–100 (default 20). */
  limit?: number;
  cursor?: string;
}

/** A job type as `GET /v1/job-types` lists it. */
export interface JobTypeInfo {
  type: string;
  queue: string;
  summary: string;
  source: 'built-in' | 'announced';
  defaults: { attempts: number; backoff_ms: number; timeout_ms: number };
  errors: string[];
  accepts: string[];
  input_schema: Record<string, unknown>;
  output_schema: Record<string, unknown>;
}

/** A live worker; `host` and `pid` only for keys with the `platform` scope. */
export type WorkerInfo = Omit<WorkerAnnouncement, 'host' | 'pid'> &
  Partial<Pick<WorkerAnnouncement, 'host' | 'pid'>>;

const iso = (value: Date | string | undefined) => (value instanceof Date ? value.toISOString() : value);

/** `randomUUID` needs a secure context in browsers; 16 random bytes do the same job anywhere. */
const newIdempotencyKey = () =>
  `sdk-${Array.from(globalThis.crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')}`;

/**
 * The Gantry API, typed per job type from the contracts: `run` submits and waits (with progress),
 * `submit`, `get`, `list`, `cancel` and `events` do one thing each; pipelines (`runPipeline`…) and
 * batches (`submitBatch`, `batchResults`…) alike. fetch only: Node 20+ and browsers.
 */
export class GantryClient {
  private readonly transport: HttpTransport;

  constructor(options: ClientOptions = {}) {
    this.transport = new HttpTransport({
      url: options.url ?? '',
      apiKey: options.apiKey,
      maxRetries: options.maxRetries ?? 3,
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    });
  }

  /** Submits a job and (unless `wait: false`) waits for its end; a job that did not succeed throws `JobFailedError`. */
  async run<T extends AnyJobType>(type: T, input: SubmitInput<T>, options: RunOptions = {}): Promise<Job<T>> {
    const submitted = await this.submit(type, input, options);
    if (options.wait === false) return submitted;
    if (submitted.completed_at === null) await this.waitForEnd(submitted.id, options);
    const job = await this.get<T>(submitted.id, options.signal);
    if (job.status !== 'succeeded') throw new JobFailedError(job);
    return job;
  }

  /**
   * Follows a job's (or a pipeline run's) events until it ends, reporting progress. Past `timeoutMs` it
   * throws `WaitTimeoutError` with the job as it is then.
   */
  private async waitForEnd(id: string, options: WaitOptions): Promise<void> {
    const timeout = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
    const signal = [options.signal, timeout].filter((s): s is AbortSignal => s !== undefined);
    try {
      const events = this.events(id, { ...(signal.length > 0 ? { signal: AbortSignal.any(signal) } : {}) });
      for await (const event of events) {
        if (event.event === 'progress') options.onProgress?.(event.data);
      }
    } catch (error) {
      if (!timeout?.aborted || options.signal?.aborted) throw error;
      throw new WaitTimeoutError(await this.get(id));
    }
  }

  /** `POST /v1/jobs/{type}`: the queued job (or the earlier one, for a repeated Idempotency-Key). */
  async submit<T extends AnyJobType>(
    type: T,
    input: SubmitInput<T>,
    options: SubmitOptions = {},
  ): Promise<Job<T>> {
    let body: unknown;
    if (options.file) {
      const form = new FormData();
      const name = options.filename ?? (options.file as Partial<File>).name ?? 'upload';
      form.set('file', options.file, name);
      form.set('input', JSON.stringify(input));
      if (options.priority !== undefined) form.set('priority', String(options.priority));
      if (options.expiresIn !== undefined) form.set('expires_in', String(options.expiresIn));
      if (options.webhook) form.set('webhook', JSON.stringify(options.webhook));
      if (options.email) form.set('email', JSON.stringify(options.email));
      body = form;
    } else {
      body = {
        input,
        ...(options.priority === undefined ? {} : { priority: options.priority }),
        ...(options.expiresIn === undefined ? {} : { expires_in: options.expiresIn }),
        ...(options.webhook ? { webhook: options.webhook } : {}),
        ...(options.email ? { email: options.email } : {}),
      };
    }
    return this.transport.json<Job<T>>({
      method: 'POST',
      path: `/v1/jobs/${encodeURIComponent(type)}`,
      body,
      headers: { 'idempotency-key': options.idempotencyKey ?? newIdempotencyKey() },
      signal: options.signal,
      retry: true,
    });
  }

  /** `GET /v1/jobs/{id}`; name its type (`get<'ocr.extract'>(id)`) for a typed output. */
  get<T extends AnyJobType = AnyJobType>(id: string, signal?: AbortSignal): Promise<Job<T>> {
    return this.transport.json<Job<T>>({
      method: 'GET',
      path: `/v1/jobs/${encodeURIComponent(id)}`,
      signal,
      retry: true,
    });
  }

  /** The jobs, newest first, a page at a time: `for await (const page of client.list({ status: 'failed' }))`. */
  async *list<T extends AnyJobType = AnyJobType>(
    query: ListQuery = {},
  ): AsyncGenerator<JobPage<T>, void, undefined> {
    let cursor = query.cursor;
    do {
      const page: JobPage<T> = await this.transport.json<JobPage<T>>({
        method: 'GET',
        path: '/v1/jobs',
        query: {
          type: query.type,
          status: typeof query.status === 'string' ? query.status : query.status?.join(','),
          created_after: iso(query.createdAfter),
          created_before: iso(query.createdBefore),
          limit: query.limit === undefined ? undefined : String(query.limit),
          cursor,
        },
        retry: true,
      });
      yield page;
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
  }

  /** `POST /v1/jobs/{id}/cancel`: the canceled job; one that already ended throws `ConflictError`. */
  cancel<T extends AnyJobType = AnyJobType>(id: string): Promise<Job<T>> {
    return this.transport.json<Job<T>>({
      method: 'POST',
      path: `/v1/jobs/${encodeURIComponent(id)}/cancel`,
      retry: false,
    });
  }

  /** `GET /v1/jobs/{id}/history`: the job's recorded status changes, oldest first (its timeline). */
  async history(id: string, signal?: AbortSignal): Promise<JobHistoryEntry[]> {
    const history = await this.transport.json<JobHistory>({
      method: 'GET',
      path: `/v1/jobs/${encodeURIComponent(id)}/history`,
      signal,
      retry: true,
    });
    return history.data;
  }

  /** The job's live events, resumed with `Last-Event-ID` after a dropped connection; ends after `completed`. */
  events<T extends AnyJobType = AnyJobType>(
    id: string,
    options: EventsOptions = {},
  ): AsyncGenerator<JobEvent<T>, void, undefined> {
    return jobEventStream<T>(this.transport, id, options);
  }

  /**
   * `POST /v1/blobs`: a file stored once, to reference from job inputs and schedule targets as `{ blob_id }`
   * (a schedule keeps it past retention until it is deleted).
   */
  async uploadBlob(file: Blob, filename?: string, signal?: AbortSignal): Promise<StoredBlob> {
    const form = new FormData();
    form.set('file', file, filename ?? (file as Partial<File>).name ?? 'upload');
    return this.transport.json({ method: 'POST', path: '/v1/blobs', body: form, signal, retry: true });
  }

  /**
   * Runs a pipeline (a name such as `document-summary`, or an ad-hoc definition) and (unless
   * `wait: false`) waits for its end; a run that did not succeed throws `PipelineRunFailedError`.
   */
  async runPipeline(
    pipeline: PipelineRef,
    input: Record<string, unknown>,
    options: RunPipelineOptions = {},
  ): Promise<PipelineRun> {
    const submitted = await this.submitPipeline(pipeline, input, options);
    if (options.wait === false) return submitted;
    if (submitted.completed_at === null) await this.waitForEnd(submitted.id, options);
    const run = await this.getPipelineRun(submitted.id, options.signal);
    if (run.status !== 'succeeded') throw new PipelineRunFailedError(run);
    return run;
  }

  /** `POST /v1/pipelines/{name}` or, for a definition, `POST /v1/pipelines`: the queued run. */
  async submitPipeline(
    pipeline: PipelineRef,
    input: Record<string, unknown>,
    options: SubmitPipelineOptions = {},
  ): Promise<PipelineRun> {
    const file = options.file
      ? { file: await this.uploadBlob(options.file, options.filename, options.signal) }
      : {};
    const named = typeof pipeline === 'string';
    return this.transport.json<PipelineRun>({
      method: 'POST',
      path: named ? `/v1/pipelines/${encodeURIComponent(pipeline)}` : '/v1/pipelines',
      query: { version: options.version === undefined ? undefined : String(options.version) },
      body: {
        input: { ...input, ...file },
        ...(named ? {} : { pipeline }),
        ...(options.priority === undefined ? {} : { priority: options.priority }),
        ...(options.expiresIn === undefined ? {} : { expires_in: options.expiresIn }),
      },
      headers: { 'idempotency-key': options.idempotencyKey ?? newIdempotencyKey() },
      signal: options.signal,
      retry: true,
    });
  }

  getPipelineRun(id: string, signal?: AbortSignal): Promise<PipelineRun> {
    return this.transport.json<PipelineRun>({
      method: 'GET',
      path: `/v1/pipeline-runs/${encodeURIComponent(id)}`,
      signal,
      retry: true,
    });
  }

  /** Cancels every queued and running step of the run; one that already ended throws `ConflictError`. */
  cancelPipelineRun(id: string): Promise<PipelineRun> {
    return this.transport.json<PipelineRun>({
      method: 'POST',
      path: `/v1/pipeline-runs/${encodeURIComponent(id)}/cancel`,
      retry: false,
    });
  }

  /**
   * `POST /v1/batches`: a job type or a pipeline over `items`, or over a JSONL file of inputs (`jsonl`).
   * Sent once (the route takes no Idempotency-Key, so a retry could start a second batch).
   */
  submitBatch<T extends AnyJobType>(batch: BatchRequest<T>, signal?: AbortSignal): Promise<Batch> {
    if ('jsonl' in batch) {
      return this.transport.json<Batch>({
        method: 'POST',
        path: '/v1/batches',
        query: {
          ...('type' in batch ? { type: batch.type } : { pipeline: batch.pipeline }),
          webhook: batch.webhook,
        },
        body: batch.jsonl,
        headers: { 'content-type': 'application/x-ndjson' },
        signal,
        retry: false,
      });
    }
    return this.transport.json<Batch>({
      method: 'POST',
      path: '/v1/batches',
      body: {
        ...('type' in batch ? { type: batch.type } : { pipeline: batch.pipeline }),
        items: batch.items,
        ...(batch.priority === undefined ? {} : { priority: batch.priority }),
        ...(batch.webhook === undefined ? {} : { webhook: batch.webhook }),
        ...(batch.email === undefined ? {} : { email: batch.email }),
      },
      signal,
      retry: false,
    });
  }

  getBatch(id: string, signal?: AbortSignal): Promise<Batch> {
    return this.transport.json<Batch>({
      method: 'GET',
      path: `/v1/batches/${encodeURIComponent(id)}`,
      signal,
      retry: true,
    });
  }

  /** Cancels the batch: its pending items never start; one that already ended throws `ConflictError`. */
  cancelBatch(id: string): Promise<Batch> {
    return this.transport.json<Batch>({
      method: 'POST',
      path: `/v1/batches/${encodeURIComponent(id)}/cancel`,
      retry: false,
    });
  }

  /**
   * The batch's results in input order, one line at a time as the gateway streams them:
   * `for await (const line of client.batchResults<'llm.sentiment'>(id))`.
   */
  async *batchResults<T extends AnyJobType = AnyJobType>(
    id: string,
    signal?: AbortSignal,
  ): AsyncGenerator<BatchResultLine<T>, void, undefined> {
    const response = await this.transport.send({
      method: 'GET',
      path: `/v1/batches/${encodeURIComponent(id)}/results`,
      headers: { accept: 'application/x-ndjson' },
      signal,
      retry: true,
    });
    if (response.body) yield* jsonLines<BatchResultLine<T>>(response.body);
  }

  /** `POST /v1/webhook-secret` (an `admin` key): the tenant's new signing secret, shown in this answer only. */
  rotateWebhookSecret(): Promise<WebhookSecretObject> {
    return this.transport.json<WebhookSecretObject>({
      method: 'POST',
      path: '/v1/webhook-secret',
      retry: false,
    });
  }

  /** `GET /v1/jobs/{id}/webhook-deliveries` (or `email-deliveries`): the job's delivery log, oldest first. */
  async deliveries(jobId: string, channel: DeliveryChannel, signal?: AbortSignal): Promise<Delivery[]> {
    const answer = await this.transport.json<{ data: Delivery[] }>({
      method: 'GET',
      path: `/v1/jobs/${encodeURIComponent(jobId)}/${channel}-deliveries`,
      signal,
      retry: true,
    });
    return answer.data;
  }

  /** Delivers one of the job's webhooks or e-mail reports again (same message id): the reopened delivery. */
  redeliver(jobId: string, channel: DeliveryChannel, deliveryId: string): Promise<Delivery> {
    return this.transport.json<Delivery>({
      method: 'POST',
      path: `/v1/jobs/${encodeURIComponent(jobId)}/${channel}-deliveries/${encodeURIComponent(deliveryId)}/redeliver`,
      retry: false,
    });
  }

  /**
   * `POST /v1/schedules`: runs a job type or a pipeline on `cron` or `every` seconds. Sent once (the route
   * takes no Idempotency-Key, so a retry could make a second schedule).
   */
  createSchedule(schedule: ScheduleRequest, signal?: AbortSignal): Promise<Schedule> {
    return this.transport.json<Schedule>({
      method: 'POST',
      path: '/v1/schedules',
      body: schedule,
      signal,
      retry: false,
    });
  }

  async listSchedules(signal?: AbortSignal): Promise<Schedule[]> {
    return (
      await this.transport.json<{ data: Schedule[] }>({
        method: 'GET',
        path: '/v1/schedules',
        signal,
        retry: true,
      })
    ).data;
  }

  getSchedule(id: string, signal?: AbortSignal): Promise<Schedule> {
    return this.transport.json<Schedule>({
      method: 'GET',
      path: `/v1/schedules/${encodeURIComponent(id)}`,
      signal,
      retry: true,
    });
  }

  /** No tick runs until `resumeSchedule`; pausing a paused schedule is a no-op. */
  pauseSchedule(id: string): Promise<Schedule> {
    return this.transport.json<Schedule>({
      method: 'POST',
      path: `/v1/schedules/${encodeURIComponent(id)}/pause`,
      retry: true,
    });
  }

  resumeSchedule(id: string): Promise<Schedule> {
    return this.transport.json<Schedule>({
      method: 'POST',
      path: `/v1/schedules/${encodeURIComponent(id)}/resume`,
      retry: true,
    });
  }

  /** No tick runs after this returns; an unknown id throws `NotFoundError` (so it is sent once). */
  async deleteSchedule(id: string): Promise<void> {
    await this.transport.send({
      method: 'DELETE',
      path: `/v1/schedules/${encodeURIComponent(id)}`,
      retry: false,
    });
  }

  /** The job types the gateway accepts now, built in or announced by live workers. */
  async types(): Promise<JobTypeInfo[]> {
    return (
      await this.transport.json<{ data: JobTypeInfo[] }>({
        method: 'GET',
        path: '/v1/job-types',
        retry: true,
      })
    ).data;
  }

  async workers(queue?: string): Promise<WorkerInfo[]> {
    return (
      await this.transport.json<{ data: WorkerInfo[] }>({
        method: 'GET',
        path: '/v1/workers',
        query: { queue },
        retry: true,
      })
    ).data;
  }

  /** Pauses a queue: no worker starts a job of it until it is resumed (a `platform` key). */
  pauseQueue(queue: string): Promise<{ queue: string; paused: boolean }> {
    return this.transport.json({
      method: 'POST',
      path: `/v1/queues/${encodeURIComponent(queue)}/pause`,
      retry: true,
    });
  }

  resumeQueue(queue: string): Promise<{ queue: string; paused: boolean }> {
    return this.transport.json({
      method: 'POST',
      path: `/v1/queues/${encodeURIComponent(queue)}/resume`,
      retry: true,
    });
  }
}
