import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { GantryError } from '@gantry/contracts';
import {
  finishedJobs,
  forgetRecordedJobs,
  fromHashFields,
  type JobChange,
  type JobRecord,
  parseRecordEntry,
  type RawEntry,
  type RecordEntry,
  recordsStream,
  stateFromHash,
  streamIdMs,
} from '@gantry/job-state';
import { isDatabaseUnavailable } from './database-error.js';
import type { StoreLogger } from './store-logger.js';
import { writeRecords } from './write-records.js';

export interface RecorderOptions {
  /** Used for the non-blocking commands; the recorder duplicates it for its blocking reads. */
  redis: Redis;
  pool: pg.Pool;
  logger: StoreLogger;
  /** Key prefix shared with the queue runtime (default 'gantry'). */
  prefix?: string;
  /** Unique per process (default host-pid-random). */
  consumer?: string;
  batchSize?: number;
  blockMs?: number;
  /**
   * After a batch smaller than batchSize, wait this long before reading again (default 50 ms), so
   * that under load a batch carries more entries: fewer commits, and a job's several changes meet
   * in one upsert. A lone change after a quiet spell is still recorded at once.
   */
  lingerMs?: number;
  /** Entries pending this long at any consumer are taken over (default 60 s). */
  claimIdleMs?: number;
  claimIntervalMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** How long stop() waits for the batch in hand before cutting the connection (default 10 s). */
  stopTimeoutMs?: number;
  onBatch?: (batch: RecorderBatch) => void;
  /**
   * Called with a batch's status changes once their rows are written and before the entries are settled:
   * should it throw, the batch fails and its entries are read again (so what it does must be idempotent).
   */
  onRecorded?: (entries: readonly RecordEntry[]) => Promise<void>;
  onError?: (error: unknown, consecutiveFailures: number) => void;
}

export interface RecorderBatch {
  entries: number;
  jobsWritten: number;
  eventsWritten: number;
  durationMs: number;
  /** Age of the oldest entry of the batch when it was committed. */
  lagMs: number;
}

export interface RecorderStats {
  batches: number;
  /** Entries settled (written, or dropped as malformed), by this process. */
  recorded: number;
  jobsWritten: number;
  eventsWritten: number;
  malformed: number;
  failures: number;
  consecutiveFailures: number;
  reclaimed: number;
  /** Finished jobs whose hash and event stream were deleted from Redis once recorded. */
  forgotten: number;
  lastLagMs: number | null;
  lastBatchAt: string | null;
}

export interface RecorderBacklog {
  /** Entries in the stream, i.e. not yet in Postgres. */
  entries: number;
  /** Of those, read by some recorder and not yet settled. */
  pending: number;
  oldestAgeMs: number | null;
}

export interface Recorder {
  readonly consumer: string;
  start(): void;
  /** Resolves once every entry in the stream at call time is in Postgres (by any recorder). */
  flush(timeoutMs?: number): Promise<void>;
  /** Finishes the batch in hand, then stops; unsettled entries stay pending for another recorder. */
  stop(): Promise<void>;
  stats(): RecorderStats;
  backlog(): Promise<RecorderBacklog>;
}

/**
 * Drains the records stream into Postgres. Any number of recorders share the `recorders` group;
 * writes are idempotent (seq-guarded upsert, history keyed by (job_id, seq)), so an entry handled
 * twice — after a crash, a reclaim or a lost XACK — changes nothing.
 */
export function createRecorder(options: RecorderOptions): Recorder {
  const { redis, pool, logger } = options;
  const prefix = options.prefix ?? 'gantry';
  const consumer = options.consumer ?? `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const batchSize = options.batchSize ?? 500;
  const blockMs = options.blockMs ?? 500;
  const lingerMs = options.lingerMs ?? 50;
  const claimIdleMs = options.claimIdleMs ?? 60_000;
  const claimIntervalMs = options.claimIntervalMs ?? 15_000;
  const backoffInitialMs = options.backoffInitialMs ?? 200;
  const backoffMaxMs = options.backoffMaxMs ?? 15_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  const stream = recordsStream(prefix);
  const stats: RecorderStats = {
    batches: 0,
    recorded: 0,
    jobsWritten: 0,
    eventsWritten: 0,
    malformed: 0,
    failures: 0,
    consecutiveFailures: 0,
    reclaimed: 0,
    forgotten: 0,
    lastLagMs: null,
    lastBatchAt: null,
  };
  let reader: Redis | null = null;
  /** The blocking connection's id on the server, for CLIENT UNBLOCK; it changes with every reconnect. */
  let readerId: number | null = null;
  let loop: Promise<void> | null = null;
  let stopping = false;
  let wake = new AbortController();

  async function recordBatch(raw: readonly RawEntry[]): Promise<void> {
    const started = Date.now();
    const entries: RecordEntry[] = [];
    for (const { streamId, fields } of raw) {
      // A null entry was deleted after delivery: it is in Postgres already, only the ack is left.
      const entry = fields === null ? null : parseRecordEntry(streamId, fields);
      if (entry) entries.push(entry);
      else if (fields !== null) {
        stats.malformed++;
        logger.error(
          { stream: stream.key, streamId, fields },
          'records entry without job id or seq; dropped',
        );
      }
    }
    const rows = rowsOf(entries);
    const readJobs = await readBack(rows.toRead);
    rows.jobs.push(...readJobs);
    const written = await writeRecords(pool, rows, entries);
    // Changes whose row is not there yet (another recorder holds their job's first entry) are written whole.
    const late = written.missing.length === 0 ? [] : await readBack(written.missing);
    const lateJobs = late.length === 0 ? 0 : (await writeRecords(pool, { jobs: late, changes: [] }, [])).jobs;
    if (entries.length > 0) await options.onRecorded?.(entries);
    // Finished jobs now in PostgreSQL leave Redis; one whose row could not be written (its hash was
    // incomplete) keeps its hash until retention.
    const finished = finishedJobs(entries);
    const unwritten = new Set([...rows.toRead, ...written.missing]);
    for (const job of [...readJobs, ...late]) unwritten.delete(job.id);
    for (const id of unwritten) finished.delete(id);
    stats.forgotten += await forgetRecordedJobs(redis, prefix, finished);
    await stream.settle(
      redis,
      raw.map((entry) => entry.streamId),
    );
    const lagMs = Date.now() - Math.min(...raw.map((entry) => streamIdMs(entry.streamId)));
    stats.batches++;
    stats.recorded += raw.length;
    stats.jobsWritten += written.jobs + lateJobs;
    stats.eventsWritten += written.events;
    stats.lastLagMs = lagMs;
    stats.lastBatchAt = new Date().toISOString();
    options.onBatch?.({
      entries: raw.length,
      jobsWritten: written.jobs + lateJobs,
      eventsWritten: written.events,
      durationMs: Date.now() - started,
      lagMs,
    });
  }

  /**
   * What each job of the batch writes. A new job's entry carries its fields and a status change's its
   * state after the change, so a job whose entries here begin with its creation is a whole snapshot,
   * and one whose entries are all changes updates its row; any other (an entry that carries neither,
   * from an older worker) is read back from its hash, which holds every change so far.
   */
  function rowsOf(entries: readonly RecordEntry[]): {
    jobs: JobRecord[];
    changes: JobChange[];
    toRead: string[];
  } {
    const known = new Map<string, { fields: Record<string, string>; seq: number; whole: boolean } | 'read'>();
    for (const entry of entries) {
      const job = known.get(entry.jobId);
      if (job === 'read' || (job && entry.seq <= job.seq)) continue;
      if (entry.job && !job) known.set(entry.jobId, { fields: entry.job, seq: entry.seq, whole: true });
      else if (entry.state) {
        const fields = { ...job?.fields, ...entry.state };
        known.set(entry.jobId, { fields, seq: entry.seq, whole: job?.whole ?? false });
      } else known.set(entry.jobId, 'read');
    }
    const rows = { jobs: [] as JobRecord[], changes: [] as JobChange[], toRead: [] as string[] };
    for (const [id, job] of known) {
      if (job === 'read') rows.toRead.push(id);
      else if (job.whole) {
        const snapshot = fromHashFields({ ...job.fields, id, seq: String(job.seq) });
        if (snapshot) rows.jobs.push(snapshot);
        else rows.toRead.push(id);
      } else {
        const change = stateFromHash(id, job.seq, job.fields);
        if (change) rows.changes.push(change);
        else rows.toRead.push(id);
      }
    }
    return rows;
  }

  /** Whole snapshots of jobs from their hashes; a job whose hash is gone gets history only. */
  async function readBack(ids: readonly string[]): Promise<JobRecord[]> {
    const hashes = await stream.jobHashes(redis, ids);
    const jobs: JobRecord[] = [];
    hashes.forEach((fields, index) => {
      const snapshot = fromHashFields(fields);
      if (snapshot) jobs.push(snapshot);
      else if (Object.keys(fields).length > 0) {
        logger.warn({ jobId: ids[index], fields: Object.keys(fields) }, 'job hash incomplete; history only');
      }
    });
    return jobs;
  }

  /** A pause that stop() and flush() cut short. */
  async function linger(ms: number): Promise<void> {
    await delay(ms, undefined, { signal: wake.signal }).catch(() => undefined);
    if (wake.signal.aborted) wake = new AbortController();
  }

  async function run(blocking: Redis): Promise<void> {
    let groupReady = false;
    // Own pending entries first: after a failure (or a reclaim) they are re-read from the PEL.
    let backlog = true;
    let nextClaimAt = 0;
    while (!stopping) {
      try {
        if (!groupReady) {
          await stream.ensureGroup(redis);
          groupReady = true;
        }
        if (Date.now() >= nextClaimAt) {
          nextClaimAt = Date.now() + claimIntervalMs;
          const claimed = await stream.reclaim(redis, consumer, claimIdleMs, batchSize);
          if (claimed > 0) {
            stats.reclaimed += claimed;
            backlog = true;
            logger.warn({ claimed, consumer }, 'took over records entries left pending by another recorder');
          }
        }
        const raw = await stream.read(blocking, consumer, backlog ? '0' : '>', batchSize, blockMs);
        if (raw.length === 0) backlog = false;
        else await recordBatch(raw);
        stats.consecutiveFailures = 0;
        if (raw.length > 0 && raw.length < batchSize && !backlog && lingerMs > 0) await linger(lingerMs);
      } catch (error) {
        backlog = true;
        if (error instanceof Error && error.message.startsWith('NOGROUP')) groupReady = false;
        stats.failures++;
        stats.consecutiveFailures++;
        if (stopping) {
          logger.warn(
            { err: error, consumer },
            'recorder stopped with entries pending; another will reclaim them',
          );
          break;
        }
        const waitMs = Math.min(backoffMaxMs, backoffInitialMs * 2 ** (stats.consecutiveFailures - 1));
        logger.error(
          {
            err: error,
            cause: isDatabaseUnavailable(error) ? 'postgres-unavailable' : 'other',
            consecutiveFailures: stats.consecutiveFailures,
            retryInMs: waitMs,
            consumer,
          },
          'recorder batch failed; its entries stay pending and will be retried',
        );
        options.onError?.(error, stats.consecutiveFailures);
        await linger(waitMs * (0.8 + Math.random() * 0.4));
      }
    }
  }

  /**
   * Ends a blocked read now, as if its BLOCK had run out, so that stop() (a rolling update) does not
   * wait for it. A read the server has already answered is left alone: its batch is recorded as usual.
   */
  function unblockRead(): void {
    if (readerId === null) return;
    redis.client('UNBLOCK', readerId, 'TIMEOUT').catch((error: unknown) => {
      logger.warn({ err: error, consumer }, 'could not cut the blocked read short; stop waits for it');
    });
  }

  return {
    consumer,

    start() {
      if (loop) return;
      stopping = false;
      // Own connection: a blocked XREADGROUP would hold up every other command on a shared one. It
      // queues while (re)connecting even when the caller's client fails fast, and its timeout
      // must outlast the BLOCK.
      const timeout = redis.options.commandTimeout;
      const blocking = redis.duplicate({
        enableOfflineQueue: true,
        ...(timeout === undefined ? {} : { commandTimeout: Math.max(timeout, blockMs + 2_000) }),
      });
      // Errors surface through the rejected commands in the loop; the listener keeps them from crashing.
      blocking.on('error', () => undefined);
      // Sent as the connection becomes ready, ahead of the read its offline queue holds.
      blocking.on('ready', () => {
        readerId = null;
        blocking.client('ID').then(
          (id) => (readerId = id),
          () => undefined,
        );
      });
      reader = blocking;
      loop = run(blocking);
    },

    async flush(timeoutMs = 10_000) {
      if (!loop) throw new GantryError('INTERNAL', 'flush() needs a started recorder');
      const lastId = await stream.lastId(redis);
      if (lastId === null) return;
      const deadline = Date.now() + timeoutMs;
      // Cut a backoff wait short once, so a recorder that just saw Postgres come back retries now.
      wake.abort();
      while ((await stream.oldestId(redis, lastId)) !== null) {
        if (Date.now() > deadline) {
          throw new GantryError('INTERNAL', `records not flushed within ${timeoutMs} ms`, {
            details: { stream: stream.key, lastId, consecutiveFailures: stats.consecutiveFailures },
          });
        }
        await delay(20);
      }
    },

    async stop() {
      if (!loop || !reader) return;
      const running = loop;
      const blocking = reader;
      stopping = true;
      wake.abort();
      // Not awaited: with Redis away the command waits for it (a blocking-mode client queues), and the
      // timeout below must still cut the connection.
      unblockRead();
      const finished = (ms: number) => Promise.race([running.then(() => true), delay(ms).then(() => false)]);
      let done = await finished(stopTimeoutMs);
      if (!done) {
        // Usually a blocking read on a dead Redis; cutting the connection makes it reject.
        logger.warn({ consumer, stopTimeoutMs }, 'recorder did not stop in time; closing its connection');
        blocking.disconnect();
        done = await finished(stopTimeoutMs);
      }
      if (done) {
        try {
          // Leave no empty consumer behind; one with pending entries stays for another recorder to reclaim.
          if ((await stream.pendingOf(redis, consumer)) === 0) await stream.deleteConsumer(redis, consumer);
        } catch (error) {
          logger.warn({ err: error, consumer }, 'could not remove the recorder consumer from its group');
        }
      } else {
        logger.error({ consumer }, 'recorder still busy after stop(); its entries will be reclaimed');
      }
      blocking.disconnect();
      reader = null;
      loop = null;
    },

    stats: () => ({ ...stats }),

    async backlog() {
      const [entries, pending, oldest] = await Promise.all([
        redis.xlen(stream.key),
        stream.pendingCount(redis).catch(() => 0),
        stream.oldestId(redis),
      ]);
      return { entries, pending, oldestAgeMs: oldest === null ? null : Date.now() - streamIdMs(oldest) };
    },
  };
}
