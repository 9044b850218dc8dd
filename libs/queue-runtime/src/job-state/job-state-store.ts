import type { ErrorInfo, JobStatus, ModelInfo } from '@gantry/contracts';
import type { Redis } from 'ioredis';
import { redisKeys } from '../redis-keys.js';
import { fromHashFields, type JobRecord, toHashFields } from './job-record.js';
import type { JobEvent, JobEventName } from './job-event.js';
import { admitJobScript, releaseQuotaOnEndScript } from './admission-scripts.js';
import { createJobScript, transitionJobScript } from './scripts.js';

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
  gantryAdmitJob(...args: (string | number)[]): Promise<AdmitReply>;
}

type AdmitReply = [number, string, number?];

/** What admission needs besides the record: see `admitJobScript`. */
export interface Admission {
  priority: number;
  priorityCeiling: number;
  /** Queued-or-running jobs a tenant may have; 0 = no limit. */
  maxActiveJobs: number;
  sweepSeconds: number;
}

export type AdmitResult =
  | { created: true; bullPriority: number }
  | { created: false; existing: string }
  | { created: false; quotaExceeded: true; active: number };

/** A tenant's flows left untouched this long are forgotten (they hold one hash each). */
const flowTtlSeconds = 7 * 86_400;

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
      redis.defineCommand('gantryTransitionJob', {
        numberOfKeys: 3,
        lua: releaseQuotaOnEndScript(transitionJobScript),
      });
      redis.defineCommand('gantryAdmitJob', { numberOfKeys: 8, lua: admitJobScript(createJobScript) });
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
    const [created, existing] = await this.redis.gantryCreateJob(...this.createArgs(record, idempotency));
    return created === 1 ? { created: true } : { created: false, existing };
  }

  /**
   * Creates the job like `create`, within its tenant's quota, and gives it its BullMQ priority for a fair
   * share of its queue: one script, one round trip.
   */
  async admit(
    record: Omit<JobRecord, 'seq'>,
    idempotency: { keyHash: string; bodyHash: string; ttlSeconds: number } | undefined,
    admission: Admission,
  ): Promise<AdmitResult> {
    const [hash, records, idem, ...args] = this.createArgs(record, idempotency);
    const [created, existing, bullPriority] = await this.redis.gantryAdmitJob(
      hash,
      records,
      idem,
      this.keys.fairShare(record.queue),
      this.keys.fairShareFlows(record.queue, record.tenant),
      this.keys.bullPrioritized(record.queue),
      this.keys.tenantActiveJobs(record.tenant),
      this.keys.tenantActiveSweep(record.tenant),
      ...args,
      admission.priority,
      admission.priorityCeiling,
      admission.maxActiveJobs,
      admission.sweepSeconds,
      this.keys.bullJob(record.queue, ''),
      this.keys.job(''),
      flowTtlSeconds,
    );
    if (created === -3) return { created: false, quotaExceeded: true, active: Number(existing) };
    if (created === 1) return { created: true, bullPriority: Number(bullPriority) };
    return { created: false, existing };
  }

  /** The BullMQ priority admission gave the job (to add it again after a crash), if any. */
  async bullPriority(id: string): Promise<number | null> {
    const value = await this.redis.hget(this.keys.job(id), 'bull_priority');
    return value ? Number(value) : null;
  }

  private createArgs(
    record: Omit<JobRecord, 'seq'>,
    idempotency?: { keyHash: string; bodyHash: string; ttlSeconds: number },
  ): [string, string, string, ...(string | number)[]] {
    const idemKey = idempotency
      ? this.keys.idempotency(record.tenant, idempotency.keyHash)
      : `${this.keys.job(record.id)}:no-idempotency`;
    return [
      this.keys.job(record.id),
      this.keys.records,
      idemKey,
      record.id,
      idempotency ? `${record.id} ${idempotency.bodyHash}` : '',
      idempotency?.ttlSeconds ?? 0,
      record.created_at,
      JSON.stringify(toHashFields(record, true)),
    ];
  }

  /**
   * Holds the commands sent on this store's connection until this turn of the event loop is over, then
   * writes them in one go. A job's outcome and BullMQ's completion, which follows it a few promise hops
   * later on the same connection, then cost one write and one read on each side instead of two (each
   * write is a system call that also wakes Redis; about 8 % more short jobs a second end to end here).
   */
  coalesceWrites(): void {
    const socket = this.redis.stream;
    if (this.redis.status !== 'ready' || socket.writableCorked > 0) return;
    socket.cork();
    setImmediate(() => socket.uncork());
  }

  async get(id: string): Promise<JobRecord | null> {
    return fromHashFields(await this.redis.hgetall(this.keys.job(id)));
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
