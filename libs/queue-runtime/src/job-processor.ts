import { GantryError, isTerminal, type ErrorInfo } from '@gantry/contracts';
import type { JobStateStore } from '@gantry/job-state';
import { inSpan, type Logger, SpanKind } from '@gantry/observability';
import { type Job, UnrecoverableError, WaitingError } from 'bullmq';
import { throttle } from 'es-toolkit';
import type { EnginePool } from './engine/engine-pool.js';
import type { EngineOutcome } from './engine/engine-process.js';
import type { JobEngine } from './engine/job-engine.js';
import type { JobPayload } from './job-payload.js';
import { retryDelayMs } from './retry-delay.js';

export interface ProcessorHooks {
  onFinished(type: string, outcome: string, seconds: number): void;
  busyChanged(delta: number): void;
}

/** Job types that share engine processes (the worker's `engineSharing`), and the grace of a stopped one. */
export interface SharedTypes {
  types: ReadonlySet<string>;
  graceMs: number;
}

interface Running {
  engine: JobEngine;
  stop: (reason: 'canceled' | 'shutdown') => void;
}

/**
 * Runs BullMQ jobs on the engine pool and keeps the job state machine in step:
 * running → succeeded | failed | timed_out | canceled, running → retrying → running, queued → expired.
 */
export class JobProcessor {
  private readonly running = new Map<string, Running>();
  /** Jobs taken ahead (see PrefetchPolicy), waiting for an engine; still `queued`. */
  private readonly held = new Map<string, AbortController>();
  private closing = false;
  /** Engines killed to stop one of their shared jobs: the other jobs in them are handed back, not failed. */
  private readonly killedForOthers = new WeakSet<JobEngine>();

  constructor(
    private readonly pool: EnginePool,
    private readonly store: JobStateStore,
    private readonly workerId: string,
    private readonly logger: Logger,
    private readonly hooks: ProcessorHooks,
    private readonly shared: SharedTypes | null = null,
  ) {}

  get busy(): number {
    return this.running.size;
  }

  runningJobIds(): string[] {
    return [...this.running.keys()];
  }

  /** Every job this worker holds: running, or taken ahead and waiting for an engine. */
  jobIds(): string[] {
    return [...this.running.keys(), ...this.held.keys()];
  }

  /**
   * Cancel from the API: the engine process is killed, so the work stops now (a shared job's signal aborts
   * first, and its engine is killed only past the grace); a held job is let go.
   */
  cancel(jobId: string): boolean {
    const running = this.running.get(jobId);
    running?.stop('canceled');
    this.held.get(jobId)?.abort('canceled');
    return running !== undefined || this.held.has(jobId);
  }

  /** Shutdown: jobs held for an engine go back to the queue now, and so will any taken from here on. */
  stopTaking(): void {
    this.closing = true;
    for (const held of this.held.values()) held.abort('shutdown');
  }

  /** Shutdown past its grace period: stop every job and hand it back to the queue. */
  handBackAll(): void {
    for (const running of this.running.values()) running.stop('shutdown');
  }

  /** One job, in a `job` span whose parent is the span that enqueued it (the HTTP request's trace). */
  process = (job: Job<JobPayload>, token?: string): Promise<unknown> =>
    inSpan(
      'job',
      {
        kind: SpanKind.CONSUMER,
        parent: job.data.traceparent,
        attributes: { 'gantry.job_id': job.data.id, 'gantry.job_type': job.data.type },
      },
      () => this.processJob(job, token),
    );

  private async processJob(job: Job<JobPayload>, token?: string): Promise<unknown> {
    const payload = job.data;
    const log = this.logger.child({
      jobId: payload.id,
      type: payload.type,
      queue: job.queueName,
      traceId: payload.trace_id ?? null,
    });
    const attempt = await this.attemptOf(job);
    if (attempt > payload.max_attempts) {
      // Every start beyond the allowed attempts means an earlier worker died mid-job.
      const error = new GantryError(
        'WORKER_LOST',
        'the worker running this job was lost and no attempts are left',
      );
      await this.store.markEnded(payload.id, 'failed', error.toInfo());
      this.hooks.onFinished(payload.type, 'failed', 0);
      throw new UnrecoverableError(error.message);
    }
    if (await this.expireIfDue(payload, log)) return null;
    const shared = this.shared?.types.has(payload.type) === true;
    const engine = await this.engineFor(job, token, log, shared);
    if (!engine) return null;
    // The deadline may have passed while the job waited for an engine. The input is stored once, in
    // the job state, and read in the round trip that marks the job running; a job of an older gateway
    // still carries it (ADR 0006).
    const starting = this.expireIfDue(payload, log).then((ended) =>
      ended ? null : this.store.markRunningWithInput(payload.id, attempt, this.workerId),
    );
    const begun = await starting.catch((error: unknown) => {
      this.pool.release(engine);
      throw error;
    });
    if (!begun?.start.applied) {
      this.pool.release(engine);
      if (begun && !begun.start.applied) {
        log.info({ status: begun.start.current }, 'job is no longer runnable (canceled or gone); skipped');
      }
      return null;
    }
    const { input } = begun;
    // Started: its start deadline no longer applies, and its place in the swept set would otherwise
    // stay until the deadline (up to 30 days). Best effort: the sweep drops it then anyway.
    if (payload.expires_at !== undefined) void this.store.dropDeadlines([payload.id]).catch(() => undefined);
    const started = performance.now();
    this.hooks.busyChanged(1);
    let stopReason: 'canceled' | 'shutdown' | 'timeout' | null = null;
    /** The engine has answered: from here on the job only writes its end, and its engine is healthy. */
    let answered = false;
    let killed = false;
    let graceTimer: NodeJS.Timeout | undefined;
    let settle: (outcome: EngineOutcome) => void = () => undefined;
    const stopped = new Promise<EngineOutcome>((resolve) => (settle = resolve));
    const kill = (reason: 'canceled' | 'shutdown' | 'timeout') => {
      if (answered) return;
      killed = true;
      if (shared) this.killedForOthers.add(engine);
      void this.pool
        .discard(engine)
        .then(() => settle({ kind: 'failed', error: new GantryError('JOB_CANCELED', reason).toInfo() }));
    };
    const stop = (reason: 'canceled' | 'shutdown' | 'timeout') => {
      // The cancel watch reads the job's final status while that very status is being written: killing
      // the idle engine then cost a process restart per race (seconds under load) and starved short jobs.
      if (stopReason || answered) return;
      stopReason = reason;
      engine.abort(payload.id);
      // A shared engine runs other jobs too: the handler gets the grace to give up before they all go.
      if (this.shared && shared) graceTimer = setTimeout(() => kill(reason), this.shared.graceMs);
      else kill(reason);
    };
    this.running.set(payload.id, { engine, stop });
    const timer = setTimeout(() => stop('timeout'), payload.timeout_ms);
    // Progress is best effort, at most ~10 writes a second per job; the latest report of a busy window is
    // written at its end, so a job that reports 75% and then works on for minutes does not show 50%.
    const reportProgress = throttle(
      (pct: number, message: string | null) => {
        void this.store.progress(payload.id, pct, message).catch(() => undefined);
      },
      100,
      { edges: ['leading', 'trailing'] },
    );
    try {
      const outcome = Promise.race([
        inSpan('engine', { attributes: { 'gantry.job_type': payload.type, 'gantry.attempt': attempt } }, () =>
          engine.run(
            {
              jobId: payload.id,
              type: payload.type,
              tenant: payload.tenant,
              attempt,
              input: payload.input === undefined ? input : payload.input,
              traceId: payload.trace_id ?? null,
            },
            (pct, message) => {
              if (stopReason) return;
              reportProgress(pct, message);
              if (pct >= 100) reportProgress.flush();
            },
          ),
        ),
        stopped,
      ]);
      const result = await outcome;
      answered = true;
      clearTimeout(graceTimer);
      // A report still waiting for its window is moot once the job ends.
      reportProgress.cancel();
      const seconds = (performance.now() - started) / 1_000;
      if (stopReason) return await this.onStopped(job, token, stopReason, seconds, killed, log);
      if (
        result.kind === 'failed' &&
        result.error.code === 'ENGINE_CRASHED' &&
        this.killedForOthers.has(engine)
      ) {
        return await this.onEngineKilledForOther(job, token, log);
      }
      if (result.kind === 'failed' && result.error.code === 'ENGINE_CRASHED' && engine.alive) {
        // The engine process answered, but its native part is gone (vision's inference thread died): every
        // later job it took would fail the same way. It is replaced as if it had exited, before this job's
        // retry can reach it; jobs sharing it go back to the queue without losing an attempt, as for a stop.
        killed = true;
        if (shared) this.killedForOthers.add(engine);
        void this.pool.discard(engine);
      }
      if (result.kind === 'result') {
        // Awaited: BullMQ completes (and forgets) the job only once its result is in the job state. A
        // failed write fails this attempt instead, so BullMQ retries the job rather than completing one
        // that stays `running` forever. Not applied (canceled meanwhile, or gone) is an end too.
        await this.store.markSucceeded(payload.id, result.output, result.model).catch((error: unknown) => {
          log.error({ err: error }, 'could not record the result; the attempt fails and the job is retried');
          throw error;
        });
        this.hooks.onFinished(payload.type, 'succeeded', seconds);
        log.info({ seconds, model: result.model?.name ?? null, attempt }, 'job succeeded');
        return null;
      }
      return await this.onFailed(job, attempt, result.error, seconds, log);
    } finally {
      reportProgress.cancel();
      clearTimeout(timer);
      clearTimeout(graceTimer);
      this.running.delete(payload.id);
      this.hooks.busyChanged(-1);
      if (!killed) this.pool.release(engine);
    }
  }

  /**
   * This start's attempt number. BullMQ counts every start, hand-backs at shutdown included; only the
   * other starts are attempts. A worker that dies also takes down the jobs it only held ahead (still
   * `queued`, never run): BullMQ counts their stalls as starts too, so past the allowed attempts the job
   * state, which counts the runs, decides. Otherwise a job held by several dying workers in a row would
   * fail as lost without ever having run.
   */
  private async attemptOf(job: Job<JobPayload>): Promise<number> {
    const started = job.attemptsStarted - (job.data.handed_back ?? 0);
    if (started <= job.data.max_attempts) return started;
    const ran = (await this.store.get(job.data.id))?.attempt ?? 0;
    return Math.min(started, ran + 1);
  }

  /**
   * A job still queued at its start deadline ends `expired` and never runs. True when there is nothing
   * to run: expired now, or already ended. A job that started before (a retry) runs on.
   */
  private async expireIfDue(payload: JobPayload, log: Logger): Promise<boolean> {
    if (payload.expires_at === undefined || Date.now() < payload.expires_at) return false;
    const result = await this.store.markExpired(payload.id, payload.expires_at);
    if (result.applied) {
      this.hooks.onFinished(payload.type, 'expired', 0);
      log.info({ expires_at: payload.expires_at }, 'job was queued past its start deadline; expired');
      return true;
    }
    return result.current === null || isTerminal(result.current);
  }

  /** A free engine for the job, once there is one; null when the job was canceled while it waited. */
  private async engineFor(
    job: Job<JobPayload>,
    token: string | undefined,
    log: Logger,
    shared: boolean,
  ): Promise<JobEngine | null> {
    const held = new AbortController();
    this.held.set(job.data.id, held);
    if (this.closing) held.abort('shutdown');
    try {
      return await this.pool.acquire(held.signal, shared);
    } catch {
      if (held.signal.reason === 'shutdown') {
        log.info('job taken ahead handed back to the queue at shutdown');
        return await this.handBack(job, token);
      }
      log.info('job canceled while it waited for an engine; dropped');
      return null;
    } finally {
      this.held.delete(job.data.id);
    }
  }

  /** Back to the queue, not counted as an attempt. */
  private async handBack(job: Job<JobPayload>, token: string | undefined): Promise<never> {
    await job.updateData({ ...job.data, handed_back: (job.data.handed_back ?? 0) + 1 });
    await job.moveToWait(token);
    throw new WaitingError();
  }

  private async onStopped(
    job: Job<JobPayload>,
    token: string | undefined,
    reason: 'canceled' | 'shutdown' | 'timeout',
    seconds: number,
    killed: boolean,
    log: Logger,
  ): Promise<null> {
    const payload = job.data;
    const how = killed ? 'engine process killed' : 'its handler gave up';
    if (reason === 'canceled') {
      // The gateway already marked it canceled; this only makes sure.
      await this.store.markEnded(payload.id, 'canceled', cancelError());
      this.hooks.onFinished(payload.type, 'canceled', seconds);
      log.info({ seconds }, `job canceled; ${how}`);
      return null;
    }
    if (reason === 'timeout') {
      const error = new GantryError('JOB_TIMED_OUT', `job ran past its ${payload.timeout_ms} ms timeout`, {
        retryable: false,
        details: { timeout_ms: payload.timeout_ms },
      });
      await this.store.markEnded(payload.id, 'timed_out', error.toInfo());
      this.hooks.onFinished(payload.type, 'timed_out', seconds);
      log.warn({ seconds }, `job timed out; ${how}`);
      throw new UnrecoverableError(error.message);
    }
    const error = new GantryError('WORKER_LOST', 'worker shut down before the job finished; handed back');
    await this.store.markRetrying(payload.id, error.toInfo(), 0);
    log.warn('job handed back to the queue at shutdown');
    return this.handBack(job, token);
  }

  /**
   * Another job's stop killed the engine this job shared: this job did nothing wrong, so it goes back to
   * the queue at once without using up an attempt, as at shutdown.
   */
  private async onEngineKilledForOther(
    job: Job<JobPayload>,
    token: string | undefined,
    log: Logger,
  ): Promise<never> {
    const error = new GantryError(
      'ENGINE_CRASHED',
      'the engine process was stopped for another job; handed back',
    );
    await this.store.markRetrying(job.data.id, error.toInfo(), 0);
    log.warn('engine process killed to stop another job; this one is handed back to the queue');
    return this.handBack(job, token);
  }

  private async onFailed(
    job: Job<JobPayload>,
    attempt: number,
    error: ErrorInfo,
    seconds: number,
    log: Logger,
  ): Promise<never> {
    const payload = job.data;
    const attemptsLeft = payload.max_attempts - attempt;
    if (error.retryable && attemptsLeft > 0) {
      const retryInMs = retryDelayMs(payload, job.attemptsMade + 1);
      await this.store.markRetrying(payload.id, error, retryInMs);
      this.hooks.onFinished(payload.type, 'retrying', seconds);
      log.warn({ error, attemptsLeft }, 'job failed; will retry');
      throw new Error(error.message);
    }
    await this.store.markEnded(payload.id, 'failed', error);
    this.hooks.onFinished(payload.type, 'failed', seconds);
    log.warn({ error }, 'job failed');
    throw new UnrecoverableError(error.message);
  }
}

const cancelError = () => new GantryError('JOB_CANCELED', 'the job was canceled').toInfo();
