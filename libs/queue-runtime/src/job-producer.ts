import { hash, randomUUID } from 'node:crypto';
import { GantryError, type JobDefaults } from '@gantry/contracts';
import { type JobRecord, JobStateStore, redisKeys, type TransitionResult } from '@gantry/job-state';
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
}

export type SubmitResult = { record: JobRecord; created: boolean };

export interface JobProducerOptions {
  /** How long a job this producer ends (a cancel) stays in Redis: `JOB_RETENTION_S`. */
  retentionSeconds: number;
  /**
   * Tells the workers of the queue to stop the job now (the gateway passes the control plane's
   * `cancelJob`). The cancel is in the job's state before this is called, and workers read it from
   * there within a second, so a lost or failed notice only delays the stop.
   */
  announceCancel?: (jobId: string, queue: string) => Promise<void>;
}

/** Jobs without a priority rank between 1 (first) and 10 and keep FIFO order among themselves. */
export const defaultPriority = 5;
const idempotencyTtlSeconds = 24 * 3_600;

/**
 * Publishes jobs: creates the job state (idempotently) and adds the BullMQ job under the same id, in
 * one round trip. Both happen before the caller answers 202, so an accepted job is in Redis (AOF) even
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
    this.store = new JobStateStore(redis, prefix, options.retentionSeconds);
    this.keys = redisKeys(prefix);
  }

  async submit(job: SubmitJob): Promise<SubmitResult> {
    const id = randomUUID();
    const record: Omit<JobRecord, 'seq'> = {
      id,
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
      created_at: new Date().toISOString(),
      started_at: null,
      completed_at: null,
    };
    const idempotency = job.idempotency && {
      keyHash: hash('sha256', job.idempotency.key),
      bodyHash: job.idempotency.bodyHash,
      ttlSeconds: idempotencyTtlSeconds,
    };
    // One round trip for both: the state store and the BullMQ queue share this connection, whose
    // commands Redis runs in the order they were sent, so no worker can take the job before its state
    // exists. A replayed Idempotency-Key leaves the new BullMQ job without a state; it is removed below,
    // and a worker that takes it first skips it (no state to start).
    const [created, enqueued] = await Promise.allSettled([
      this.store.create(record, idempotency),
      this.enqueue(record, job.defaults, job.traceId),
    ]);
    if (created.status === 'rejected' || !created.value.created) await this.removeQueued(record);
    if (created.status === 'rejected') throw created.reason;
    if (!created.value.created) return this.replay(job, created.value.existing);
    if (enqueued.status === 'rejected') throw enqueued.reason;
    return { record: { ...record, seq: 1 }, created: true };
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
    // A running job holds a lock and cannot be removed; its worker stops it (told above, or read).
    await this.removeQueued(record);
    return result;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  queue(name: string): Queue<JobPayload> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue<JobPayload>(name, { connection: this.redis, prefix: this.keys.bullPrefix });
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
    const record = await this.store.get(jobId);
    if (!record) {
      throw new GantryError(
        'IDEMPOTENCY_CONFLICT',
        'the job of this Idempotency-Key has expired; use a new key',
      );
    }
    // A crash between creating the state and adding the BullMQ job is healed here: BullMQ ignores a duplicate id.
    if (record.status === 'queued') await this.enqueue(record, job.defaults);
    return { record, created: false };
  }

  private async enqueue(
    record: Omit<JobRecord, 'seq'>,
    defaults: JobDefaults,
    traceId?: string,
  ): Promise<void> {
    await this.queue(record.queue).add(
      record.type,
      {
        id: record.id,
        tenant: record.tenant,
        type: record.type,
        input: record.input,
        max_attempts: defaults.attempts,
        timeout_ms: defaults.timeoutMs,
        backoff_ms: defaults.backoffMs,
        ...(traceId ? { trace_id: traceId } : {}),
      },
      {
        jobId: record.id,
        priority: record.priority ?? defaultPriority,
        attempts: defaults.attempts,
        backoff: { type: retryBackoff, delay: defaults.backoffMs },
        removeOnComplete: true,
        removeOnFail: { age: 24 * 3_600 },
      },
    );
  }
}
