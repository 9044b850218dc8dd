import type { PruneStatement } from '@gantry/job-store';
import { createTestSchema, deletePrefix, type TestSchema } from '@gantry/job-store/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayHarness, startGatewayHarness } from '../testing/gateway-harness.js';
import { type JobRecordPruner, startJobRecordPruner } from './job-record-pruner.js';

// Real PostgreSQL (this file's schemas, rows written as the recorder and the notification log write
// them) and real Redis (the replicas' lock). Retention is an hour; "old" rows ended two hours ago.
const retentionSeconds = 3_600;
const old = 7_200;
const recent = 600;
const batchSize = 10;
const quietLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

type Pool = TestSchema['pool'];

/** A job row; `completedSecondsAgo` null: not completed. */
const insertJob = (
  pool: Pool,
  id: string,
  status: string,
  completedSecondsAgo: number | null,
  type = 'ocr.extract',
) =>
  pool.query(
    `INSERT INTO jobs (id, tenant, type, queue, status, input, created_at, completed_at, seq)
     VALUES ($1, 'acme', $3, 'ocr', $2, '{}', now() - interval '3 hours',
             now() - make_interval(secs => $4), 3)`,
    [id, status, type, completedSecondsAgo],
  );

/** Its history (three status changes) and a webhook with two delivery attempts. */
async function insertHistory(pool: Pool, id: string) {
  await pool.query(
    `INSERT INTO job_events (job_id, seq, status, at)
     SELECT $1, s, 'running', now() - interval '3 hours' FROM generate_series(1, 3) AS s`,
    [id],
  );
  await pool.query(
    `INSERT INTO notifications (id, tenant, subject_kind, subject_id, event, channel, target, payload, status)
     VALUES ('msg_' || $1, 'acme', 'job', $1, 'job.succeeded', 'webhook', '{"url":"https://example.com"}', '{}', 'delivered')`,
    [id],
  );
  await pool.query(
    `INSERT INTO notification_attempts (notification_id, duration_ms, status_code)
     VALUES ('msg_' || $1, 12, 500), ('msg_' || $1, 9, 200)`,
    [id],
  );
}

/** A batch's row and inputs, as the gateway stores them on upload. */
async function insertBatch(pool: Pool, id: string, total: number) {
  await pool.query(
    `INSERT INTO batches (id, tenant, total, fed, low, created_at) VALUES ($1, 'acme', $2, $2, $2, now() - interval '3 hours')`,
    [id, total],
  );
  await pool.query(
    `INSERT INTO batch_items (batch_id, idx, input) SELECT $1, i, '{}' FROM generate_series(0, $2 - 1) AS i`,
    [id, total],
  );
}

const ids = async (pool: Pool, table: string, column: string) =>
  (await pool.query<{ id: string }>(`SELECT DISTINCT ${column} AS id FROM ${table} ORDER BY 1`)).rows.map(
    (row) => row.id,
  );
const count = async (pool: Pool, sql: string) => Number((await pool.query<{ n: string }>(sql)).rows[0]?.n);

describe('job record pruner (real PostgreSQL and Redis)', () => {
  const prefix = `t-prune-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const redis = new Redis('redis://127.0.0.1:6379');
  let db: TestSchema;
  const statements: PruneStatement[] = [];
  const pruners: JobRecordPruner[] = [];
  const startPruner = (
    options: { prefix?: string; onStatement?: (statement: PruneStatement) => Promise<void> } = {},
  ) => {
    const pruner = startJobRecordPruner({
      pool: db.pool,
      redis,
      prefix: options.prefix ?? prefix,
      retentionSeconds,
      intervalMs: 3_600_000, // the test calls prune() itself
      logger: quietLogger,
      batchSize,
      onStatement: async (statement) => {
        statements.push(statement);
        await options.onStatement?.(statement);
      },
    });
    pruners.push(pruner);
    return pruner;
  };

  beforeAll(async () => {
    db = await createTestSchema('record_pruner');
  });
  beforeEach(async () => {
    statements.length = 0;
    await db.pool.query(
      'TRUNCATE jobs, job_events, notifications, notification_attempts, batches, batch_items, schedules',
    );
  });
  afterAll(async () => {
    await Promise.all(pruners.map((pruner) => pruner.stop()));
    await deletePrefix(redis, prefix);
    await redis.quit();
    await db?.drop();
  });

  it('prunes old finished jobs with their history and webhook attempts, keeps recent and unfinished ones', async () => {
    const finals = ['succeeded', 'failed', 'canceled', 'timed_out', 'expired'];
    for (const status of finals) {
      await insertJob(db.pool, `old-${status}`, status, old);
      await insertHistory(db.pool, `old-${status}`);
    }
    await insertJob(db.pool, 'recent', 'succeeded', recent);
    await insertHistory(db.pool, 'recent');
    for (const status of ['queued', 'running', 'retrying']) {
      await insertJob(db.pool, status, status, null);
      await insertHistory(db.pool, status);
    }
    // Unfinished, whatever its completion time says (a retried attempt's): never pruned.
    await insertJob(db.pool, 'running-after-retry', 'running', old);

    expect(await startPruner().prune()).toEqual({
      ran: true,
      jobs: 5,
      events: 15,
      notifications: 5,
      batchItems: 0,
      batches: 0,
    });

    const kept = ['queued', 'recent', 'retrying', 'running', 'running-after-retry'];
    expect(await ids(db.pool, 'jobs', 'id')).toEqual(kept);
    expect(await ids(db.pool, 'job_events', 'job_id')).toEqual(['queued', 'recent', 'retrying', 'running']);
    expect(await ids(db.pool, 'notifications', 'subject_id')).toEqual([
      'queued',
      'recent',
      'retrying',
      'running',
    ]);
    expect(await ids(db.pool, 'notification_attempts', 'notification_id')).toEqual([
      'msg_queued',
      'msg_recent',
      'msg_retrying',
      'msg_running',
    ]);
    // Nothing more to do: a second round deletes nothing.
    expect(await startPruner().prune()).toMatchObject({ ran: true, jobs: 0, events: 0 });
  });

  it("prunes a batch's items and a run's steps only after their root; a schedule's last job stays", async () => {
    // An old finished batch of 25 items (one stuck unfinished), its inputs in batch_items.
    await insertJob(db.pool, 'b-old', 'succeeded', old, 'batch');
    await insertBatch(db.pool, 'b-old', 25);
    for (let i = 0; i < 24; i += 1) {
      if (i !== 3) await insertJob(db.pool, `b-old.${i}`, 'succeeded', old + 60);
    }
    // Item 3 is a pipeline run whose step ended before it: the step goes only after the run.
    await insertJob(db.pool, 'b-old.3', 'succeeded', old + 10, 'pipeline');
    await insertJob(db.pool, 'b-old.3.ocr', 'succeeded', old + 90);
    await insertJob(db.pool, 'b-old.24', 'running', null);
    // A batch still running, and one that ended recently: their old finished items stay.
    await insertJob(db.pool, 'b-live', 'running', null, 'batch');
    await insertBatch(db.pool, 'b-live', 2);
    await insertJob(db.pool, 'b-live.0', 'succeeded', old);
    await insertJob(db.pool, 'b-live.1', 'failed', old);
    await insertJob(db.pool, 'b-recent', 'canceled', recent, 'batch');
    await insertBatch(db.pool, 'b-recent', 1);
    await insertJob(db.pool, 'b-recent.0', 'canceled', old);
    // An old pipeline run with a step and a for_each step.
    await insertJob(db.pool, 'run-old', 'succeeded', old, 'pipeline');
    await insertJob(db.pool, 'run-old.ocr', 'succeeded', old + 60);
    await insertJob(db.pool, 'run-old.llm.0', 'succeeded', old + 30);
    // A schedule's last run (and its step) stays while the schedule does.
    await insertJob(db.pool, 'sched-run', 'succeeded', old, 'pipeline');
    await insertJob(db.pool, 'sched-run.ocr', 'succeeded', old);
    await db.pool.query(
      `INSERT INTO schedules (id, tenant, every_s, timezone, misfire, target, last_job_id)
       VALUES ('s1', 'acme', 60, 'UTC', 'skip', '{}', 'sched-run')`,
    );
    // A job under a root that was never recorded (or is gone): it goes on its own.
    await insertJob(db.pool, 'never-recorded.0', 'succeeded', old);

    // After every statement: while a root is there, all of its jobs are.
    const partial: string[] = [];
    const pruner = startPruner({
      onStatement: async () => {
        for (const [root, children] of [
          ['b-old', 26],
          ['run-old', 2],
          ['b-old.3', 1],
        ] as const) {
          const rootThere = await count(db.pool, `SELECT count(*) AS n FROM jobs WHERE id = '${root}'`);
          const under = await count(db.pool, `SELECT count(*) AS n FROM jobs WHERE id LIKE '${root}.%'`);
          const inputs = await count(
            db.pool,
            `SELECT count(*) AS n FROM batch_items WHERE batch_id = '${root}'`,
          );
          if (rootThere === 1 && (under < children || (root === 'b-old' && inputs < 25))) partial.push(root);
        }
      },
    });
    expect(await pruner.prune()).toEqual({
      ran: true,
      jobs: 2 + 24 + 1 + 2 + 1, // the roots, the batch's finished items, the item-run's step, the run's steps, the orphan
      events: 0,
      notifications: 0,
      batchItems: 25,
      batches: 1,
    });
    expect(partial).toEqual([]);
    expect(await ids(db.pool, 'jobs', 'id')).toEqual([
      'b-live',
      'b-live.0',
      'b-live.1',
      'b-old.24',
      'b-recent',
      'b-recent.0',
      'sched-run',
      'sched-run.ocr',
    ]);
    expect(await ids(db.pool, 'batches', 'id')).toEqual(['b-live', 'b-recent']);
    expect(await ids(db.pool, 'batch_items', 'batch_id')).toEqual(['b-live', 'b-recent']);
    // Each step until a statement finds nothing; the run's step became prunable once the run had gone.
    expect(statements).toEqual([
      { step: 'root jobs', rows: 2 },
      { step: 'root jobs', rows: 0 },
      { step: 'jobs under a root', rows: 10 },
      { step: 'jobs under a root', rows: 10 },
      { step: 'jobs under a root', rows: 7 },
      { step: 'jobs under a root', rows: 1 },
      { step: 'jobs under a root', rows: 0 },
      { step: 'batch items', rows: 10 },
      { step: 'batch items', rows: 10 },
      { step: 'batch items', rows: 5 },
      { step: 'batch items', rows: 0 },
      { step: 'batches', rows: 1 },
      { step: 'batches', rows: 0 },
    ]);

    // Once the schedule is deleted its last run follows the usual rule.
    await db.pool.query("DELETE FROM schedules WHERE id = 's1'");
    expect(await pruner.prune()).toMatchObject({ ran: true, jobs: 2 });
  });

  it('deletes at most the batch size per statement, and goes on until the backlog is gone', async () => {
    await db.pool.query(
      `INSERT INTO jobs (id, tenant, type, queue, status, input, created_at, completed_at, seq)
       SELECT 'old-' || i, 'acme', 'ocr.extract', 'ocr', 'succeeded', '{}', now() - interval '3 hours',
              now() - interval '2 hours' - make_interval(secs => i), 3
         FROM generate_series(1, 25) AS i`,
    );
    expect(await startPruner().prune()).toMatchObject({ ran: true, jobs: 25 });
    expect(statements).toEqual([
      { step: 'root jobs', rows: 10 },
      { step: 'root jobs', rows: 10 },
      { step: 'root jobs', rows: 5 },
      { step: 'root jobs', rows: 0 },
      { step: 'jobs under a root', rows: 0 },
      { step: 'batch items', rows: 0 },
      { step: 'batches', rows: 0 },
    ]);
  });

  it('lets two pruners run at once without deleting a row twice or deadlocking', async () => {
    // 1,500 roots with 1,500 jobs under them and their history: many statements for each pruner.
    await db.pool.query(
      `INSERT INTO jobs (id, tenant, type, queue, status, input, created_at, completed_at, seq)
       SELECT id, 'acme', 'ocr.extract', 'ocr', 'succeeded', '{}', now() - interval '3 hours',
              now() - interval '2 hours' - make_interval(secs => i % 97), 3
         FROM generate_series(1, 1500) AS i, LATERAL (VALUES ('r' || i), ('r' || i || '.step')) AS v(id)`,
    );
    await db.pool.query(
      `INSERT INTO job_events (job_id, seq, status, at) SELECT id, 1, 'succeeded', now() FROM jobs`,
    );
    // Each with a lock of its own, as when a replica's lock expired while it was still pruning.
    const [first, second] = await Promise.all([
      startPruner({ prefix: `${prefix}-a` }).prune(),
      startPruner({ prefix: `${prefix}-b` }).prune(),
    ]);
    await deletePrefix(redis, `${prefix}-a`);
    await deletePrefix(redis, `${prefix}-b`);
    if (!first.ran || !second.ran) throw new Error('both pruners should have run');
    expect(first.jobs + second.jobs).toBe(3_000);
    expect(first.events + second.events).toBe(3_000);
    expect(await count(db.pool, 'SELECT count(*) AS n FROM jobs')).toBe(0);
    expect(await count(db.pool, 'SELECT count(*) AS n FROM job_events')).toBe(0);
    // Both took part: the statements interleaved.
    expect(first.jobs).toBeGreaterThan(0);
    expect(second.jobs).toBeGreaterThan(0);
    expect(statements.every((statement) => statement.rows <= batchSize)).toBe(true);
  });

  it('never waits on a row another transaction holds: it takes the others and comes back for it', async () => {
    for (const id of ['held', 'free-1', 'free-2']) await insertJob(db.pool, id, 'succeeded', old);
    const holder = await db.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query("SELECT id FROM jobs WHERE id = 'held' FOR UPDATE");
      const pruning = startPruner().prune();
      const blocked = new Promise((resolve) => setTimeout(() => resolve('blocked'), 5_000));
      expect(await Promise.race([pruning, blocked])).toMatchObject({ ran: true, jobs: 2 });
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    expect(await startPruner().prune()).toMatchObject({ ran: true, jobs: 1 });
  });

  it('leaves the round to the replica holding the lock', async () => {
    await insertJob(db.pool, 'old', 'succeeded', old);
    const a = startPruner();
    const b = startPruner();
    const [first, second] = await Promise.all([a.prune(), b.prune()]);
    expect([first, second]).toContainEqual({ ran: false, reason: 'another replica prunes' });
    expect([first, second]).toContainEqual(expect.objectContaining({ ran: true, jobs: 1 }));
  });
});

describe('a pruned job over HTTP (a real gateway)', () => {
  let harness: GatewayHarness;
  let key = '';
  const get = (id: string) =>
    fetch(`${harness.gateway.url}/v1/jobs/${id}`, { headers: { authorization: `Bearer ${key}` } });

  beforeAll(async () => {
    harness = await startGatewayHarness({ name: 'record-pruner' });
    key = await harness.key({ tenant: 'acme', name: 't', scopes: ['jobs'] });
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('answers JOB_NOT_FOUND, as for a job that never existed', async () => {
    const id = '5b0e4a43-0e8f-4a55-9d5f-8f3c3d0b9a11';
    await insertJob(harness.pool, id, 'succeeded', old);
    await insertHistory(harness.pool, id);
    expect((await get(id)).status).toBe(200);

    const pruner = startJobRecordPruner({
      pool: harness.pool,
      redis: harness.redis,
      prefix: harness.prefix,
      retentionSeconds,
      intervalMs: 3_600_000,
      logger: quietLogger,
    });
    try {
      expect(await pruner.prune()).toMatchObject({ ran: true, jobs: 1, events: 3, notifications: 1 });
    } finally {
      await pruner.stop();
    }

    const pruned = await get(id);
    const never = await get('0d6c1e55-5f5e-4b9e-8d1a-2a7c6f0e4b22');
    expect(pruned.status).toBe(404);
    expect(await pruned.json()).toMatchObject({ error: { code: 'JOB_NOT_FOUND', retryable: false } });
    expect(never.status).toBe(404);
    expect(await never.json()).toMatchObject({ error: { code: 'JOB_NOT_FOUND', retryable: false } });
  });
});
