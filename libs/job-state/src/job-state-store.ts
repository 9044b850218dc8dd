import { type ErrorInfo, GantryError, type JobStatus, type ModelInfo } from '@gantry/contracts';
import type { Redis } from 'ioredis';
import type { JobEvent, JobEventName } from './job-event.js';
import { admitJobScript } from './admission-scripts.js';
import { fromHashFields, toHashFields } from './job-hash.js';
import { type JobRecord, jobStateFields } from './job-record.js';
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
  /** The job starts: the reply brings its input, and its event stream gets the hash's lifetime. */
  started?: boolean;
}

export type TransitionResult = { applied: true; seq: number } | { applied: false; current: JobStatus | null };

type ScriptReply = [number, string];

interface JobStateCommands {
  gantryCreateJob(...args: (string | number)[]): Promise<ScriptReply>;
  gantryTransitionJob(...args: (string | number)[]): Promise<[number, string, string | null]>;
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

const lifetimeReason = 'not ended within JOB_MAX_LIFETIME_S of its creation';

const lifetimeExceeded = (createdAt: string, maxLifetimeSeconds: number) =>
  new GantryError(
    'JOB_LIFETIME_EXCEEDED',
    `the job had not ended ${maxLifetimeSeconds} s after its creation (JOB_MAX_LIFETIME_S)`,
    { details: { created_at: createdAt, max_lifetime_s: maxLifetimeSeconds } },
  ).toInfo();

/**
 * How long a job's hash outlives its maximum lifetime: the gateways' overdue sweep ends the job at its
 * lifetime through the hash (events, records entry, cancel), and finds it there for an hour after.
 */
export const lifetimeGraceSeconds = 3_600;

/** Bounds on what Redis holds for jobs that are not finished (0 or absent: no bound). */
export interface JobStateLimits {
  /**
   * A job not final this long after its creation is ended by the overdue sweep (markLifetimeExceeded);
   * its hash expires `lifetimeGraceSeconds` later, whatever happens.
   */
  maxLifetimeSeconds?: number;
  /** New jobs are refused (DATABASE_UNAVAILABLE) while the records stream holds this many entries. */
  maxUnrecorded?: number;
}

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
    private readonly limits: JobStateLimits = {},
  ) {
    this.keys = redisKeys(prefix);
    if (!('gantryTransitionJob' in redis)) {
      redis.defineCommand('gantryCreateJob', { numberOfKeys: 4, lua: createJobScript });
      redis.defineCommand('gantryTransitionJob', { numberOfKeys: 3, lua: transitionJobScript });
      redis.defineCommand('gantryAdmitJob', { numberOfKeys: 9, lua: admitJobScript });
    }
    this.redis = redis as Redis & JobStateCommands;
  }

  /**
   * Creates the job unless the idempotency key (or the id) is already taken; then `existing`
   * holds the value stored with the key (`jobId bodyHash`). A start deadline (`expiresAt`, ms since the
   * epoch) goes into the deadlines set the gateways sweep. Throws DATABASE_UNAVAILABLE while the
   * records stream holds `maxUnrecorded` entries.
   */
  async create(
    record: Omit<JobRecord, 'seq'>,
    idempotency?: { keyHash: string; bodyHash: string; ttlSeconds: number },
    expiresAt?: number,
  ): Promise<{ created: true } | { created: false; existing: string }> {
    const [created, existing] = await this.redis.gantryCreateJob(
      ...this.createArgs(record, idempotency, expiresAt),
    );
    if (created === -1) throw this.backlogFull();
    return created === 1 ? { created: true } : { created: false, existing };
  }

  private backlogFull(): GantryError {
    return new GantryError(
      'DATABASE_UNAVAILABLE',
      'PostgreSQL is behind: too many finished changes are not recorded yet; retry later',
      { details: { max_unrecorded: this.limits.maxUnrecorded ?? null } },
    );
  }

  /**
   * Creates the job like `create`, within its tenant's quota, and gives it its BullMQ priority for a fair
   * share of its queue: one script, one round trip.
   */
  async admit(
    record: Omit<JobRecord, 'seq'>,
    idempotency: { keyHash: string; bodyHash: string; ttlSeconds: number } | undefined,
    admission: Admission,
    expiresAt?: number,
  ): Promise<AdmitResult> {
    const [hash, records, idem, deadlines, ...args] = this.createArgs(record, idempotency, expiresAt);
    const [created, existing, bullPriority] = await this.redis.gantryAdmitJob(
      hash,
      records,
      idem,
      deadlines,
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
    if (created === -1) throw this.backlogFull();
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
    expiresAt?: number,
  ): [string, string, string, string, ...(string | number)[]] {
    const idemKey = idempotency
      ? this.keys.idempotency(record.tenant, idempotency.keyHash)
      : `${this.keys.job(record.id)}:no-idempotency`;
    return [
      this.keys.job(record.id),
      this.keys.records,
      idemKey,
      this.keys.deadlines,
      record.id,
      idempotency ? `${record.id} ${idempotency.bodyHash}` : '',
      idempotency?.ttlSeconds ?? 0,
      record.created_at,
      JSON.stringify(toHashFields(record, true)),
      this.limits.maxLifetimeSeconds ? this.limits.maxLifetimeSeconds + lifetimeGraceSeconds : 0,
      this.limits.maxUnrecorded ?? 0,
      expiresAt ?? 0,
    ];
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
    return (await this.change(id, change)).result;
  }

  /** The change, and the job's input when it `started`. */
  private async change(
    id: string,
    change: Transition,
  ): Promise<{ result: TransitionResult; input: unknown }> {
    const at = now();
    const events = change.events.flatMap((event) => [event.name, JSON.stringify(event.data)]);
    const fields = Object.entries(toHashFields(change.fields ?? {})).flat();
    const [seq, current, input] = await this.redis.gantryTransitionJob(
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
      change.started ? '1' : '',
      change.events.length,
      ...events,
      ...fields,
    );
    const stored = change.started && typeof input === 'string' ? (JSON.parse(input) as unknown) : null;
    if (seq > 0) return { result: { applied: true, seq }, input: stored };
    return { result: { applied: false, current: seq === -1 ? null : (current as JobStatus) }, input: stored };
  }

  private running(attempt: number, worker: string, started: boolean): Transition {
    return {
      from: ['queued', 'retrying', 'running'],
      status: 'running',
      fields: { attempt, worker, started_at: now(), error: null, progress_pct: 0, progress_message: null },
      events: [{ name: 'status', data: { status: 'running', attempt, worker } }],
      record: { attempt, worker },
      started,
    };
  }

  markRunning(id: string, attempt: number, worker: string): Promise<TransitionResult> {
    return this.transition(id, this.running(attempt, worker, false));
  }

  /**
   * markRunning, and the job's input read by the same script: the input is stored once, in the hash,
   * not in the BullMQ job. The event stream the change starts gets the hash's remaining lifetime.
   */
  async markRunningWithInput(
    id: string,
    attempt: number,
    worker: string,
  ): Promise<{ start: TransitionResult; input: unknown }> {
    const { result, input } = await this.change(id, this.running(attempt, worker, true));
    return { start: result, input };
  }

  /** Ends a job still queued at its start deadline: it never runs. */
  markExpired(id: string, expiresAt: number): Promise<TransitionResult> {
    const error = new GantryError('JOB_EXPIRED', 'the job was still queued at its start deadline', {
      details: { expires_at: new Date(expiresAt).toISOString() },
    }).toInfo();
    return this.transition(id, {
      from: ['queued'],
      status: 'expired',
      fields: { error, status_reason: 'start deadline passed before a worker took it', completed_at: now() },
      events: [
        { name: 'error', data: { ...error, will_retry: false } },
        { name: 'completed', data: { status: 'expired' } },
      ],
      record: { error },
      terminal: true,
    });
  }

  /**
   * Ends a job that is not final `maxLifetimeSeconds` after its creation (queued with no worker, or
   * running on one that lost it): failed, JOB_LIFETIME_EXCEEDED. Not applied to a final job, nor to one
   * whose hash is gone (recordLost is for that).
   */
  markLifetimeExceeded(id: string, createdAt: string, maxLifetimeSeconds: number): Promise<TransitionResult> {
    const error = lifetimeExceeded(createdAt, maxLifetimeSeconds);
    return this.transition(id, {
      from: '*',
      status: 'failed',
      fields: { error, status_reason: lifetimeReason, completed_at: now() },
      events: [
        { name: 'error', data: { ...error, will_retry: false } },
        { name: 'completed', data: { status: 'failed' } },
      ],
      record: { error },
      terminal: true,
    });
  }

  /**
   * A job whose hash is gone while its recorded row is not final (its hash outlived its lifetime's
   * grace, or Redis lost it): a records entry ends it failed, JOB_LIFETIME_EXCEEDED, so the recorder
   * writes the row and its history, and its webhook or e-mail goes out, as for any ending. The entry's
   * seq follows the row's: an older change still on its way is refused by the row, a newer one wins.
   */
  async recordLost(job: JobRecord, maxLifetimeSeconds: number): Promise<void> {
    const error = lifetimeExceeded(job.created_at, maxLifetimeSeconds);
    const at = now();
    const after = toHashFields({
      ...job,
      status: 'failed',
      error,
      status_reason: lifetimeReason,
      completed_at: at,
    });
    const state = jobStateFields.flatMap((name) => [`state.${name}`, after[name] ?? '']);
    await this.redis.xadd(
      this.keys.records,
      '*',
      ...['id', job.id, 'seq', String(job.seq + 1), 'status', 'failed', 'at', at],
      ...['data', JSON.stringify({ error }), ...state],
    );
  }

  /** Queued jobs whose start deadline is at or before `nowMs`, with their deadlines; oldest first. */
  async dueDeadlines(nowMs: number, limit: number): Promise<{ id: string; expiresAt: number }[]> {
    const reply = await this.redis.zrangebyscore(
      this.keys.deadlines,
      '-inf',
      nowMs,
      'WITHSCORES',
      'LIMIT',
      0,
      limit,
    );
    const due: { id: string; expiresAt: number }[] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) {
      due.push({ id: reply[i] as string, expiresAt: Number(reply[i + 1]) });
    }
    return due;
  }

  async dropDeadlines(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.redis.zrem(this.keys.deadlines, ...ids);
  }

  /** True for the one caller that holds the sweep for the next `ms` (a lock that lapses by itself). */
  async claimDeadlineSweep(owner: string, ms: number): Promise<boolean> {
    return (await this.redis.set(this.keys.deadlineSweeper, owner, 'PX', ms, 'NX')) === 'OK';
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
