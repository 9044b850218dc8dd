import { hash, randomUUID } from 'node:crypto';
import { type EmailTarget, GantryError, type JobDefaults, type WebhookTarget } from '@gantry/contracts';
import {
  type JobRecord,
  type JobStateLimits,
  JobStateStore,
  redisKeys,
  type TransitionResult,
} from '@gantry/job-state';
import { activeTraceparent, inSpan, SpanKind } from '@gantry/observability';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobPayload } from './job-payload.js';
import { retryBackoff } from './retry-delay.js';

export interface SubmitJob {
  tenant: string;
  type: string;
  queue: string;
  defaults: JobDefaults;
  input: unknown;
  priority?: number;
  traceId?: string;
  /** Raw `Idempotency-Key` header and a hash of the request body it must match. */
  idempotency?: { key: string; bodyHash: string };
  /** Start deadline: still queued this many seconds after now, the job ends `expired`. */
  expiresInSeconds?: number;
  /** Notifications of the job's status changes, delivered by the gateway once they are recorded. */
  webhook?: WebhookTarget;
  email?: EmailTarget;
  /**
   * The job's id, when the caller derives it (a pipeline step's): submitting the same id again creates
   * nothing new. A random id otherwise.
   */
  id?: string;
  /**
   * A job of a flow queue (see `runFlowWorker`) that waits for this one: BullMQ moves it back to its
   * queue once this job and its siblings have ended, failed ones included.
   */
  parent?: { id: string; queue: string };
}

export type SubmitResult = { record: JobRecord; created: boolean };

export interface JobProducerOptions extends JobStateLimits {
  /** How long a job this producer ends (a cancel) stays in Redis: `JOB_RETENTION_S`. */
  retentionSeconds: number;
  /**
   * A job as PostgreSQL recorded it, for an Idempotency-Key replayed after its finished job left Redis
   * (the recorder removes a finished job's hash once its row is written).
   */
  readRecorded?: (tenant: string, id: string) => Promise<JobRecord | null>;
  /**
   * Tells the workers of the queue to stop the job now (the gateway passes the control plane's
   * `cancelJob`). The cancel is in the job's state before this is called, and workers read it from
   * there within a second, so a lost or failed notice only delays the stop.
   */
  announceCancel?: (jobId: string, queue: string) => Promise<void>;
  /** Queued-or-running jobs a tenant may have (`QUOTA_EXCEEDED` past it); 0 = no limit. */
  maxActiveJobsPerTenant?: number;
  /** The largest BullMQ priority fair share may give (BullMQ's own ceiling; lower only in tests). */
  priorityCeiling?: number;
  /** How often, at most, a full quota is recounted against the jobs' states (self-healing). */
  quotaSweepSeconds?: number;
  /**
   * The connection BullMQ's queues use (default: the producer's own). BullMQ defines its 60-odd scripts on
   * it, and ioredis copies every script of a connection onto each pipeline it builds — one per autopipelined
   * batch, some 12 KB each — so a request path that autopipelines keeps them on a connection of their own.
   */
  queueConnection?: Redis;
}

/** BullMQ refuses priorities above 2^21 − 1. */
export const bullPriorityCeiling = 2 ** 21 - 1;
const defaultMaxActiveJobsPerTenant = 10_000;

/** Jobs without a priority rank between 1 (first) and 10 and keep FIFO order among themselves. */
export const defaultPriority = 5;
const idempotencyTtlSeconds = 24 * 3_600;
const bullEventsMaxLen = 1_000;

/**
 * Publishes jobs: creates the job state (idempotently), then adds the BullMQ job under the same id
 * with the priority admission gave it. Both happen before the caller answers 202, so an accepted job is in Redis (AOF) even
 * if this process dies.
 */
export class JobProducer {
  readonly store: JobStateStore;
  private readonly queues = new Map<string, Queue<JobPayload>>();
  private readonly keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly options: JobProducerOptions,
  ) {
    this.store = new JobStateStore(redis, prefix, options.retentionSeconds, options);
    this.keys = redisKeys(prefix);
  }

  async submit(job: SubmitJob): Promise<SubmitResult> {
    const now = Date.now();
    const expiresAt = job.expiresInSeconds === undefined ? undefined : now + job.expiresInSeconds * 1_000;
    const record = newRecord(job, now, expiresAt);
    const idempotency = job.idempotency && {
      keyHash: hash('sha256', job.idempotency.key),
      bodyHash: job.idempotency.bodyHash,
      ttlSeconds: idempotencyTtlSeconds,
    };
    // Two round trips: admission (quota, fair-share priority, job state) in one script, then BullMQ's
    // add with the priority it gave. A worker can only take the job once its state exists.
    const maxActiveJobs = this.options.maxActiveJobsPerTenant ?? defaultMaxActiveJobsPerTenant;
    const admitted = await this.store.admit(
      record,
      idempotency,
      {
        priority: job.priority ?? defaultPriority,
        priorityCeiling: this.options.priorityCeiling ?? bullPriorityCeiling,
        maxActiveJobs,
        sweepSeconds: this.options.quotaSweepSeconds ?? 60,
      },
      expiresAt,
    );
    if ('quotaExceeded' in admitted) throw quotaExceeded(job.tenant, maxActiveJobs, admitted.active);
    if (!admitted.created) return this.replay(job, admitted.existing);
    try {
      await this.enqueue(record, job.defaults, admitted.bullPriority, job.traceId, expiresAt, job.parent);
    } catch (error) {
      if (await this.abandon(record, idempotency?.keyHash)) {
        throw new GantryError('QUEUE_UNAVAILABLE', 'the job could not be queued; it was not accepted', {
          cause: error,
        });
      }
    }
    return { record: { ...record, seq: 1 }, created: true };
  }

  /**
   * Records a job that never runs: its state is created and ends `failed` with `error` at once, and no
   * BullMQ job is added, so lists, results, SSE and PostgreSQL show it like any failed job. For an input
   * the gateway could not complete when the job came due (a batch item whose `source` job has not
   * succeeded). Outside the tenant's quota: it is never active. Nothing is created when the id exists.
   */
  async refuse(job: Omit<SubmitJob, 'idempotency' | 'parent'>, error: GantryError): Promise<void> {
    const record = newRecord(job, Date.now(), undefined);
    const created = await this.store.create(record);
    if (created.created) await this.store.markEnded(record.id, 'failed', error.toInfo(), ['queued']);
  }

  /**
   * No ghost jobs: the state of a job whose BullMQ add failed ends `failed` (so PostgreSQL does not keep
   * it `queued` forever), which releases its quota; a BullMQ job that was added after all (the reply was
   * lost) is removed, and so is the Idempotency-Key, so that a retry creates the job anew. Should Redis
   * itself be gone, this is tried again in the background for a minute. False when the job turns out to
   * run already (the add went through): then it was accepted after all.
   */
  private async abandon(
    record: Pick<JobRecord, 'id' | 'queue' | 'tenant'>,
    keyHash?: string,
  ): Promise<boolean> {
    const attempt = async () => {
      const error = new GantryError('QUEUE_UNAVAILABLE', 'the job could not be queued and never ran');
      const ended = await this.store.markEnded(record.id, 'failed', error.toInfo(), ['queued']);
      if (!ended.applied && ended.current !== null) return false;
      await this.removeQueued(record);
      if (keyHash) {
        const key = this.keys.idempotency(record.tenant, keyHash);
        if ((await this.redis.get(key))?.startsWith(`${record.id} `)) await this.redis.del(key);
      }
      return true;
    };
    const reached = await attempt().catch(() => null);
    if (reached !== null) return reached;
    void (async () => {
      for (let retry = 0; retry < 30 && (await attempt().catch(() => null)) === null; retry += 1) {
        await new Promise((resolve) => setTimeout(resolve, 2_000).unref());
      }
    })();
    return true;
  }

  /** Marks the job canceled (in its state: the one cancel that counts), tells workers, and removes it if queued. */
  async cancel(id: string): Promise<TransitionResult> {
    const result = await this.store.markEnded(
      id,
      'canceled',
      new GantryError('JOB_CANCELED', 'the job was canceled').toInfo(),
      ['queued', 'running', 'retrying'],
    );
    if (!result.applied) return result;
    const record = await this.store.get(id);
    if (!record) return result;
    await this.options.announceCancel?.(id, record.queue).catch(() => undefined);
    // A queued job's start deadline, if it had one, is moot now (ZREM of an absent member: a no-op).
    await this.store.dropDeadlines([id]);
    // A running job holds a lock and cannot be removed; its worker stops it (told above, or read).
    await this.removeQueued(record);
    return result;
  }

  /** Ends a job still queued at its start deadline and removes its BullMQ job, so it never runs. */
  async expire(id: string, expiresAt: number): Promise<TransitionResult> {
    const result = await this.store.markExpired(id, expiresAt);
    if (!result.applied) return result;
    const record = await this.store.get(id);
    if (record) await this.removeQueued(record);
    return result;
  }

  /**
   * Ends a recorded job that is not final past its maximum lifetime (JOB_MAX_LIFETIME_S): failed,
   * JOB_LIFETIME_EXCEEDED, through its hash as a cancel goes (a worker still running it is told to stop),
   * or, where the hash is gone, through a records entry built from the row. Its BullMQ job goes either
   * way, so no worker takes it later. `recorded` is the job's PostgreSQL row; false when the job had
   * already ended in Redis (the recorder has yet to write it).
   */
  async endOverdue(recorded: JobRecord, maxLifetimeSeconds: number): Promise<boolean> {
    const result = await this.store.markLifetimeExceeded(
      recorded.id,
      recorded.created_at,
      maxLifetimeSeconds,
    );
    if (result.applied) {
      await this.options.announceCancel?.(recorded.id, recorded.queue).catch(() => undefined);
    } else if (result.current === null) {
      await this.store.recordLost(recorded, maxLifetimeSeconds);
    } else {
      return false;
    }
    await this.removeQueued(recorded);
    return true;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  queue(name: string): Queue<JobPayload> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue<JobPayload>(name, {
        connection: this.options.queueConnection ?? this.redis,
        prefix: this.keys.bullPrefix,
        // Nothing reads BullMQ's own event stream (a job's events are the job state's); 10,000 entries
        // by default, some 2 MB a queue, kept short instead.
        streams: { events: { maxLen: bullEventsMaxLen } },
      });
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  private async removeQueued(record: Pick<JobRecord, 'id' | 'queue'>): Promise<void> {
    await this.queue(record.queue)
      .remove(record.id)
      .catch(() => 0);
  }

  private async replay(job: SubmitJob, existing: string): Promise<SubmitResult> {
    const [jobId, bodyHash] = existing.split(' ');
    if (!jobId || (job.idempotency && bodyHash !== job.idempotency.bodyHash)) {
      throw new GantryError(
        'IDEMPOTENCY_CONFLICT',
        'this Idempotency-Key was already used with another request body',
        {
          details: { job_id: jobId ?? null },
        },
      );
    }
    const live = await this.store.get(jobId);
    const record = live ?? (await this.options.readRecorded?.(job.tenant, jobId)) ?? null;
    if (!record) {
      throw new GantryError(
        'IDEMPOTENCY_CONFLICT',
        'the job of this Idempotency-Key has expired; use a new key',
      );
    }
    // A crash between creating the state and adding the BullMQ job is healed here: BullMQ ignores a duplicate id.
    if (live?.status === 'queued') {
      const priority = (await this.store.bullPriority(live.id)) ?? job.priority ?? defaultPriority;
      await this.enqueue(live, job.defaults, priority);
    }
    return { record, created: false };
  }

  /** The BullMQ job carries no input: the worker reads it from the job state as it starts the job. */
  private async enqueue(
    record: Omit<JobRecord, 'seq'>,
    defaults: JobDefaults,
    priority: number,
    traceId?: string,
    expiresAt?: number,
    parent?: { id: string; queue: string },
  ): Promise<void> {
    // The active span is the request's: the job carries it, so the worker's span joins the same trace.
    await inSpan(
      'enqueue',
      {
        kind: SpanKind.PRODUCER,
        attributes: { 'gantry.job_id': record.id, 'messaging.destination.name': record.queue },
      },
      async () => {
        const traceparent = activeTraceparent();
        await this.queue(record.queue).add(
          record.type,
          {
            id: record.id,
            tenant: record.tenant,
            type: record.type,
            max_attempts: defaults.attempts,
            timeout_ms: defaults.timeoutMs,
            backoff_ms: defaults.backoffMs,
            ...(traceId ? { trace_id: traceId } : {}),
            ...(expiresAt === undefined ? {} : { expires_at: expiresAt }),
            ...(traceparent ? { traceparent } : {}),
          },
          {
            jobId: record.id,
            priority,
            attempts: defaults.attempts,
            backoff: { type: retryBackoff, delay: defaults.backoffMs },
            // The job state (and PostgreSQL) keeps each outcome; BullMQ keeps only the last few failures.
            removeOnComplete: true,
            removeOnFail: { count: 1_000 },
            ...(parent
              ? {
                  parent: { id: parent.id, queue: this.keys.bullQueue(parent.queue) },
                  // A failed step wakes its flow job like a finished one: the flow decides what follows.
                  ignoreDependencyOnFailure: true,
                }
              : {}),
          },
        );
      },
    );
  }
}

/** A new job's state, queued, as `submit` and `refuse` create it. */
function newRecord(job: SubmitJob, now: number, expiresAt: number | undefined): Omit<JobRecord, 'seq'> {
  return {
    id: job.id ?? randomUUID(),
    tenant: job.tenant,
    type: job.type,
    queue: job.queue,
    status: 'queued',
    status_reason: null,
    priority: job.priority ?? null,
    attempt: 0,
    max_attempts: job.defaults.attempts,
    progress_pct: 0,
    progress_message: null,
    input: job.input,
    output: null,
    error: null,
    model: null,
    worker: null,
    idempotency_key: job.idempotency?.key ?? null,
    created_at: new Date(now).toISOString(),
    started_at: null,
    completed_at: null,
    expires_at: expiresAt === undefined ? null : new Date(expiresAt).toISOString(),
    webhook: job.webhook ?? null,
    email: job.email ?? null,
  };
}

function quotaExceeded(tenant: string, limit: number, active: number): GantryError {
  return new GantryError(
    'QUOTA_EXCEEDED',
    `tenant "${tenant}" has ${active} jobs queued or running, its limit of ${limit} (TENANT_MAX_ACTIVE_JOBS); retry once some have finished`,
    { details: { limit: 'active_jobs', value: limit, setting: 'TENANT_MAX_ACTIVE_JOBS', active } },
  );
}
