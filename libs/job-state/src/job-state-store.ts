import type { ErrorInfo, JobStatus, ModelInfo } from '@gantry/contracts';
import type { Redis } from 'ioredis';
import type { JobEvent, JobEventName } from './job-event.js';
import { fromHashFields, toHashFields } from './job-hash.js';
import type { JobRecord } from './job-record.js';
import { createJobScript, transitionJobScript } from './job-state-scripts.js';
import { redisKeys } from './redis-keys.js';

interface Transition {
  /** Statuses the job may be in for the change to apply; '*' = any non-terminal. */
  from: readonly JobStatus[] | '*';
  status?: JobStatus;
  fields?: Partial<JobRecord>;
  events: readonly { name: JobEventName; data: Record<string, unknown> }[];
  /** Status changes go to the records stream (and so into Postgres); progress does not. */
  record?: Record<string, unknown>;
  terminal?: boolean;
}

export type TransitionResult = { applied: true; seq: number } | { applied: false; current: JobStatus | null };

type ScriptReply = [number, string];

interface JobStateCommands {
  gantryCreateJob(...args: (string | number)[]): Promise<ScriptReply>;
  gantryTransitionJob(...args: (string | number)[]): Promise<ScriptReply>;
}

const now = () => new Date().toISOString();

/**
 * The live state of jobs in Redis: one hash per job, a per-job event stream for SSE, a records
 * stream the Postgres recorder drains. Every replica of every service reads and writes through it.
 */
export class JobStateStore {
  private readonly keys;
  private readonly redis: Redis & JobStateCommands;

  constructor(
    redis: Redis,
    prefix: string,
    private readonly retentionSeconds = 86_400,
  ) {
    this.keys = redisKeys(prefix);
    if (!('gantryTransitionJob' in redis)) {
      redis.defineCommand('gantryCreateJob', { numberOfKeys: 3, lua: createJobScript });
      redis.defineCommand('gantryTransitionJob', { numberOfKeys: 3, lua: transitionJobScript });
    }
    this.redis = redis as Redis & JobStateCommands;
  }

  /**
   * Creates the job unless the idempotency key (or the id) is already taken; then `existing`
   * holds the value stored with the key (`jobId bodyHash`).
   */
  async create(
    record: Omit<JobRecord, 'seq'>,
    idempotency?: { keyHash: string; bodyHash: string; ttlSeconds: number },
  ): Promise<{ created: true } | { created: false; existing: string }> {
    const idemKey = idempotency
      ? this.keys.idempotency(record.tenant, idempotency.keyHash)
      : `${this.keys.job(record.id)}:no-idempotency`;
    const [created, existing] = await this.redis.gantryCreateJob(
      this.keys.job(record.id),
      this.keys.records,
      idemKey,
      record.id,
      idempotency ? `${record.id} ${idempotency.bodyHash}` : '',
      idempotency?.ttlSeconds ?? 0,
      record.created_at,
      JSON.stringify(toHashFields(record, true)),
    );
    return created === 1 ? { created: true } : { created: false, existing };
  }

  async get(id: string): Promise<JobRecord | null> {
    return fromHashFields(await this.redis.hgetall(this.keys.job(id)));
  }

  /** The status of each job, in order (null for a job whose hash is gone), in one round trip. */
  async statuses(ids: readonly string[]): Promise<(JobStatus | null)[]> {
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hget(this.keys.job(id), 'status');
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, status]) => {
      if (error) throw error;
      return (status as JobStatus | null) ?? null;
    });
  }

  async transition(id: string, change: Transition): Promise<TransitionResult> {
    const at = now();
    const events = change.events.flatMap((event) => [event.name, JSON.stringify(event.data)]);
    const fields = Object.entries(toHashFields(change.fields ?? {})).flat();
    const [seq, current] = await this.redis.gantryTransitionJob(
      this.keys.job(id),
      this.keys.jobEvents(id),
      this.keys.records,
      id,
      change.from === '*' ? '*' : change.from.join(','),
      change.status ?? '',
      at,
      change.record ? JSON.stringify(change.record) : '',
      this.keys.jobEventsChannel(id),
      change.terminal ? this.retentionSeconds : 0,
      change.events.length,
      ...events,
      ...fields,
    );
    if (seq > 0) return { applied: true, seq };
    return { applied: false, current: seq === -1 ? null : (current as JobStatus) };
  }

  markRunning(id: string, attempt: number, worker: string): Promise<TransitionResult> {
    const started_at = now();
    return this.transition(id, {
      from: ['queued', 'retrying', 'running'],
      status: 'running',
      fields: { attempt, worker, started_at, error: null, progress_pct: 0, progress_message: null },
      events: [{ name: 'status', data: { status: 'running', attempt, worker } }],
      record: { attempt, worker },
    });
  }

  progress(id: string, pct: number, message: string | null): Promise<TransitionResult> {
    return this.transition(id, {
      from: ['running'],
      fields: { progress_pct: pct, progress_message: message },
      events: [{ name: 'progress', data: { pct, message } }],
    });
  }

  markRetrying(id: string, error: ErrorInfo, retryInMs: number): Promise<TransitionResult> {
    return this.transition(id, {
      from: ['running'],
      status: 'retrying',
      fields: { error },
      events: [
        { name: 'error', data: { ...error, will_retry: true, retry_in_ms: retryInMs } },
        { name: 'status', data: { status: 'retrying', error } },
      ],
      record: { error, retry_in_ms: retryInMs },
    });
  }

  markSucceeded(id: string, output: unknown, model: ModelInfo | null): Promise<TransitionResult> {
    return this.transition(id, {
      from: ['running'],
      status: 'succeeded',
      fields: { output, model, completed_at: now(), progress_pct: 100, error: null },
      events: [
        { name: 'output', data: { output, model } },
        { name: 'completed', data: { status: 'succeeded' } },
      ],
      record: {},
      terminal: true,
    });
  }

  /** Ends a job without output: `failed`, `timed_out` or `canceled`. */
  markEnded(
    id: string,
    status: 'failed' | 'timed_out' | 'canceled',
    error: ErrorInfo,
    from: readonly JobStatus[] | '*' = '*',
  ): Promise<TransitionResult> {
    return this.transition(id, {
      from,
      status,
      fields: { error, completed_at: now() },
      events: [
        { name: 'error', data: { ...error, will_retry: false } },
        { name: 'completed', data: { status } },
      ],
      record: { error },
      terminal: true,
    });
  }

  /** Events after `afterId` (exclusive), oldest first; all retained ones without it. */
  async eventsSince(jobId: string, afterId?: string): Promise<JobEvent[]> {
    const start = afterId ? `(${afterId}` : '-';
    const entries = await this.redis.xrange(this.keys.jobEvents(jobId), start, '+');
    return entries.map(([id, fields]) => toJobEvent(jobId, id, fields));
  }

  async lastEventId(jobId: string): Promise<string | null> {
    const [entry] = await this.redis.xrevrange(this.keys.jobEvents(jobId), '+', '-', 'COUNT', 1);
    return entry ? entry[0] : null;
  }
}

function toJobEvent(jobId: string, id: string, fields: string[]): JobEvent {
  const value: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) value[fields[i] as string] = fields[i + 1] as string;
  return { jobId, id, name: value['event'] as JobEventName, data: JSON.parse(value['data'] ?? '{}') };
}
