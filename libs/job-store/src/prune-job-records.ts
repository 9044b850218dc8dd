import { terminalStatuses } from '@gantry/contracts';
import type pg from 'pg';
import { toDatabaseError } from './database-error.js';

/** Rows one pruning pass deleted. */
export interface PrunedRecords {
  jobs: number;
  /** History rows (job_events) of those jobs. */
  events: number;
  /** Their webhook and e-mail notifications; each one's delivery attempts go with it (ON DELETE CASCADE). */
  notifications: number;
  /** Inputs of batches whose job was pruned. */
  batchItems: number;
  batches: number;
}

/** What one statement deleted: at most `batchSize` rows of its own table (plus the pruned jobs' rows). */
export interface PruneStatement {
  step: 'root jobs' | 'jobs under a root' | 'batch items' | 'batches';
  /** Rows of the step's own table: jobs, batch items or batches. */
  rows: number;
}

export interface PruneJobRecordsOptions {
  /** Finished jobs that completed before this go. */
  completedBefore: Date;
  /** Rows of the step's table per statement, so that no statement holds many locks for long. */
  batchSize: number;
  /** After each statement (the caller renews its lock, or counts). */
  afterStatement?: (statement: PruneStatement) => Promise<void>;
  /** Stops between statements (the gateway is shutting down); what was deleted stays deleted. */
  signal?: AbortSignal;
}

// Which jobs may go, in every step: a final status, completed before the cutoff, and not a schedule's
// last job (which stays as long as its schedule does, like the blobs a schedule names).
// The NOT EXISTS of the job statements end in OFFSET 0, which keeps PostgreSQL from turning them into an
// anti-join: it stays one index probe per candidate, walked in completion order until the LIMIT is
// reached. As a join, its row estimates (guesses for ids built from ids) made the planner choose a
// nested loop over every schedule per candidate: minutes instead of milliseconds on 300,000 jobs.
const finishedBefore = (alias: string) => `
  ${alias}.completed_at < $1 AND ${alias}.status = ANY($2::text[])
  AND NOT EXISTS (SELECT 1 FROM schedules s WHERE s.last_job_id = ${alias}.id OFFSET 0)`;

// Deletes the chosen jobs with their history and notifications, in one statement (its own
// transaction). FOR UPDATE SKIP LOCKED: two pruners at once take disjoint jobs, never wait on each
// other's rows, so they cannot deadlock or delete a row twice. Notifications are found by the index
// of their subject (migration 6); today every notification's subject is a job.
const deleteJobs = (doomed: string) => `
  WITH doomed AS (${doomed}),
  events AS (DELETE FROM job_events e USING doomed d WHERE e.job_id = d.id RETURNING 1),
  notes AS (
    DELETE FROM notifications n USING doomed d
     WHERE n.tenant = d.tenant AND n.subject_kind = 'job' AND n.subject_id = d.id RETURNING 1),
  gone AS (DELETE FROM jobs j USING doomed d WHERE j.id = d.id RETURNING 1)
  SELECT (SELECT count(*) FROM gone) AS jobs, (SELECT count(*) FROM events) AS events,
         (SELECT count(*) FROM notes) AS notifications`;

// A root: a job whose id has no "." — a job of its own, a pipeline run, a batch. Its predicate is its
// index's (migration 9) to the letter.
const pruneRoots = deleteJobs(`
  SELECT c.id, c.tenant FROM jobs c
   WHERE c.completed_at IS NOT NULL AND strpos(c.id, '.') = 0 AND ${finishedBefore('c')}
   ORDER BY c.completed_at LIMIT $3
   FOR UPDATE OF c SKIP LOCKED`);

// A job under others ("<batch>.<i>" under its batch, "<run>.<step>" under its run, "<batch>.<i>.<step>"
// under both) goes only once every job it is under has gone: a batch's items and a run's steps stay
// exactly as long as the batch or the run does, so none of them is ever read with parts missing. Ids
// have at most four parts (step ids have no "."; "<batch>.<i>.<step>.<j>" is the deepest, a for_each
// step of an item's run), and only two prefixes can be jobs: the root, and "<batch>.<i>" (an item that
// runs a pipeline), both looked up by primary key. One still unfinished is kept, as every unfinished
// job is.
const pruneChildren = deleteJobs(`
  SELECT c.id, c.tenant FROM jobs c
   WHERE c.completed_at IS NOT NULL AND strpos(c.id, '.') > 0 AND ${finishedBefore('c')}
     AND NOT EXISTS (
       SELECT 1 FROM jobs r
        WHERE r.id IN (split_part(c.id, '.', 1),
                       CASE WHEN split_part(c.id, '.', 3) <> ''
                            THEN split_part(c.id, '.', 1) || '.' || split_part(c.id, '.', 2) END)
        OFFSET 0)
   ORDER BY c.completed_at LIMIT $3
   FOR UPDATE OF c SKIP LOCKED`);

// A batch whose job has gone (it was pruned, or never recorded) and that is older than the cutoff
// (a batch's row is written before its job: a young one may be waiting for it).
const batchGone = (alias: string) =>
  `${alias}.created_at < $1 AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = ${alias}.id)`;

const pruneBatchItems = `
  WITH items AS (
    DELETE FROM batch_items i WHERE (i.batch_id, i.idx) IN (
      SELECT t.batch_id, t.idx FROM batch_items t
       WHERE t.batch_id IN (SELECT b.id FROM batches b WHERE ${batchGone('b')})
       LIMIT $2
       FOR UPDATE SKIP LOCKED)
    RETURNING 1)
  SELECT count(*) AS rows FROM items`;

// The batch's row goes last, once it has no items: until then it is how the items are found.
const pruneBatches = `
  WITH gone AS (
    DELETE FROM batches WHERE id IN (
      SELECT b.id FROM batches b
       WHERE ${batchGone('b')} AND NOT EXISTS (SELECT 1 FROM batch_items i WHERE i.batch_id = b.id)
       LIMIT $2
       FOR UPDATE SKIP LOCKED)
    RETURNING 1)
  SELECT count(*) AS rows FROM gone`;

/**
 * Deletes the records of jobs that finished before `completedBefore`, with everything that refers to
 * them, a bounded statement at a time until none is left: root jobs first, then the jobs under those
 * that have gone, then the gone batches' items and rows. Unfinished jobs are never touched.
 * Safe to run from several processes at once (each statement skips rows another one holds).
 */
export async function pruneJobRecords(
  pool: pg.Pool,
  options: PruneJobRecordsOptions,
): Promise<PrunedRecords> {
  const pruned: PrunedRecords = { jobs: 0, events: 0, notifications: 0, batchItems: 0, batches: 0 };
  const { batchSize, completedBefore, signal } = options;
  const statement = async (step: PruneStatement['step'], rows: number) => {
    await options.afterStatement?.({ step, rows });
    // Until a statement finds nothing: a job under another becomes prunable once that one has gone,
    // which may be in this very step (a batch item's pipeline steps after the item).
    return rows > 0 && !signal?.aborted;
  };
  try {
    for (const [step, sql] of [
      ['root jobs', pruneRoots],
      ['jobs under a root', pruneChildren],
    ] as const) {
      for (let more = !signal?.aborted; more; ) {
        const { rows } = await pool.query<{ jobs: string; events: string; notifications: string }>(sql, [
          completedBefore,
          terminalStatuses,
          batchSize,
        ]);
        const jobs = Number(rows[0]?.jobs ?? 0);
        pruned.jobs += jobs;
        pruned.events += Number(rows[0]?.events ?? 0);
        pruned.notifications += Number(rows[0]?.notifications ?? 0);
        more = await statement(step, jobs);
      }
    }
    for (const [step, sql, key] of [
      ['batch items', pruneBatchItems, 'batchItems'],
      ['batches', pruneBatches, 'batches'],
    ] as const) {
      for (let more = !signal?.aborted; more; ) {
        const { rows } = await pool.query<{ rows: string }>(sql, [completedBefore, batchSize]);
        const count = Number(rows[0]?.rows ?? 0);
        pruned[key] += count;
        more = await statement(step, count);
      }
    }
    return pruned;
  } catch (error) {
    throw toDatabaseError(error);
  }
}
