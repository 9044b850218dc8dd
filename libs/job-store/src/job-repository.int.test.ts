import { GantryError } from '@gantry/contracts';
import type { JobChange, JobRecord, RecordEntry } from '@gantry/job-state';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from './create-pool.js';
import { createJobRepository, type JobRepository } from './job-repository.js';
import { createTestSchema, type TestSchema } from './testing/create-test-schema.js';
import { writeRecords } from './write-records.js';

// Real Postgres, one migrated schema for this file; rows are written the way the recorder writes them.
let db: TestSchema;
let jobs: JobRepository;

const base = Date.parse('2026-05-01T12:00:00.000Z');
const snapshot = (i: number, overrides: Partial<JobRecord> = {}): JobRecord => ({
  id: `job-${String(i).padStart(3, '0')}`,
  tenant: 'acme',
  type: i % 2 === 0 ? 'ocr.extract' : 'llm.summarize',
  queue: i % 2 === 0 ? 'ocr' : 'llm',
  status: i % 3 === 0 ? 'failed' : 'succeeded',
  status_reason: null,
  priority: null,
  attempt: 1,
  max_attempts: 3,
  progress_pct: 100,
  progress_message: null,
  input: { n: i },
  output: i % 3 === 0 ? null : { text: `out ${i}` },
  error: i % 3 === 0 ? { code: 'HANDLER_FAILED', message: 'boom', retryable: true, details: null } : null,
  model: null,
  worker: 'w-1',
  idempotency_key: null,
  // Three jobs share each instant so that pagination must order by id within one created_at.
  created_at: new Date(base + Math.floor(i / 3) * 1_000).toISOString(),
  started_at: null,
  completed_at: new Date(base + 60_000).toISOString(),
  expires_at: null,
  webhook: null,
  email: null,
  seq: 3,
  ...overrides,
});
const event = (jobId: string, seq: number, status: string, data = {}): RecordEntry => ({
  streamId: '0-1',
  jobId,
  seq,
  status,
  at: new Date(base + seq * 10).toISOString(),
  data,
  job: null,
  state: null,
});

beforeAll(async () => {
  db = await createTestSchema('job_repository');
  jobs = createJobRepository(db.pool);
  const all = Array.from({ length: 30 }, (_, i) => snapshot(i));
  all.push(snapshot(99, { id: 'other-tenant-job', tenant: 'globex' }));
  await writeRecords(db.pool, { jobs: all, changes: [] }, [
    event('job-001', 1, 'queued'),
    event('job-001', 3, 'succeeded'),
    event('job-001', 2, 'running', { attempt: 1, worker: 'w-1' }),
    event('other-tenant-job', 1, 'queued'),
  ]);
});
afterAll(async () => {
  await db.drop();
});

describe('job repository', () => {
  it('returns a row with the hash field names, JSON parsed and RFC 3339 times', async () => {
    const row = await jobs.get('acme', 'job-003');
    expect(row).toMatchObject({
      id: 'job-003',
      tenant: 'acme',
      type: 'llm.summarize',
      status: 'failed',
      priority: null,
      attempt: 1,
      progress_pct: 100,
      input: { n: 3 },
      output: null,
      error: { code: 'HANDLER_FAILED', message: 'boom', retryable: true, details: null },
      created_at: '2026-05-01T12:00:01.000Z',
      started_at: null,
      completed_at: '2026-05-01T12:01:00.000Z',
      seq: 3,
    });
    expect(row?.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('never shows a job to another tenant', async () => {
    expect(await jobs.get('globex', 'job-003')).toBeNull();
    expect(await jobs.get('acme', 'other-tenant-job')).toBeNull();
    expect(await jobs.history('acme', 'other-tenant-job')).toEqual([]);
    const page = await jobs.list({ tenant: 'globex', limit: 100 });
    expect(page.rows.map((row) => row.id)).toEqual(['other-tenant-job']);
  });

  it('pages newest first without gaps or repeats, ties broken by id', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await jobs.list({ tenant: 'acme', limit: 7, cursor });
      seen.push(...page.rows.map((row) => row.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    const expected = Array.from({ length: 30 }, (_, i) => snapshot(i))
      .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id))
      .map((row) => row.id);
    expect(seen).toEqual(expected);
    expect(pages).toBe(5);
  });

  it('filters by type, statuses and a created_at window', async () => {
    const page = await jobs.list({
      tenant: 'acme',
      type: 'ocr.extract',
      status: ['failed'],
      createdAfter: new Date(base).toISOString(),
      createdBefore: new Date(base + 9_000),
      limit: 100,
    });
    // even i, multiple of 3, created_at strictly after base and before base+9s => i in {6, 12, 18, 24}
    expect(page.rows.map((row) => row.id)).toEqual(['job-024', 'job-018', 'job-012', 'job-006']);
    expect(page.nextCursor).toBeNull();
    const both = await jobs.list({ tenant: 'acme', status: ['failed', 'succeeded'], limit: 100 });
    expect(both.rows).toHaveLength(30);
  });

  it('lists through the tenant index rather than a sort of the table', async () => {
    await db.pool.query('ANALYZE jobs');
    const client = await db.pool.connect();
    try {
      await client.query('SET enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT id FROM jobs WHERE tenant = 'acme' AND (created_at, id) < (now(), 'x')
         ORDER BY created_at DESC, id DESC LIMIT 21`,
      );
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan).toContain('jobs_tenant_created_idx');
      expect(plan).not.toContain('Sort');
    } finally {
      await client.query('RESET enable_seqscan');
      client.release();
    }
  });

  it('refuses a bad limit, cursor or date with BAD_REQUEST', async () => {
    for (const query of [
      { tenant: 'acme', limit: 0 },
      { tenant: 'acme', limit: 101 },
      { tenant: 'acme', cursor: 'garbage' },
      { tenant: 'acme', createdAfter: 'last tuesday' },
    ]) {
      const error: unknown = await jobs.list(query).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(GantryError);
      expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    }
  });

  it('returns the status history in seq order', async () => {
    expect(await jobs.history('acme', 'job-001')).toEqual([
      { job_id: 'job-001', seq: 1, status: 'queued', at: '2026-05-01T12:00:00.010Z', data: {} },
      {
        job_id: 'job-001',
        seq: 2,
        status: 'running',
        at: '2026-05-01T12:00:00.020Z',
        data: { attempt: 1, worker: 'w-1' },
      },
      { job_id: 'job-001', seq: 3, status: 'succeeded', at: '2026-05-01T12:00:00.030Z', data: {} },
    ]);
  });

  it('keeps the newer snapshot when an older one arrives later', async () => {
    await writeRecords(
      db.pool,
      { jobs: [snapshot(5, { status: 'running', seq: 2, output: null })], changes: [] },
      [],
    );
    expect(await jobs.get('acme', 'job-005')).toMatchObject({ status: 'succeeded', seq: 3 });
    await writeRecords(
      db.pool,
      { jobs: [snapshot(5, { status: 'succeeded', seq: 4, output: { text: 'v2' } })], changes: [] },
      [],
    );
    expect(await jobs.get('acme', 'job-005')).toMatchObject({ seq: 4, output: { text: 'v2' } });
  });

  it('writes what a job was created with once: a later snapshot changes only its progress', async () => {
    await writeRecords(
      db.pool,
      { jobs: [snapshot(7, { seq: 5, input: { n: -1 }, priority: 1, tenant: 'globex' })], changes: [] },
      [],
    );
    expect(await jobs.get('acme', 'job-007')).toMatchObject({ seq: 5, input: { n: 7 }, priority: null });
  });

  it('applies a change to the row it finds, and names the jobs whose row is not there yet', async () => {
    const change = (id: string, seq: number): JobChange => ({
      id,
      seq,
      status: 'failed',
      status_reason: null,
      attempt: 2,
      progress_pct: 50,
      progress_message: null,
      output: null,
      error: { code: 'HANDLER_FAILED', message: 'boom', retryable: false, details: null },
      model: null,
      worker: 'w-2',
      started_at: null,
      completed_at: null,
    });
    const written = await writeRecords(
      db.pool,
      { jobs: [], changes: [change('job-009', 6), change('job-unseen', 2), change('job-010', 1)] },
      [],
    );
    expect(written).toEqual({ jobs: 1, events: 0, missing: ['job-unseen'] });
    expect(await jobs.get('acme', 'job-009')).toMatchObject({
      status: 'failed',
      attempt: 2,
      worker: 'w-2',
      seq: 6,
      input: { n: 9 },
      created_at: '2026-05-01T12:00:03.000Z',
    });
    // Older than the row (seq 1 < 3): left as it was, and not missing either.
    expect(await jobs.get('acme', 'job-010')).toMatchObject({ status: 'succeeded', seq: 3 });
    expect(await jobs.get('acme', 'job-unseen')).toBeNull();
  });

  it('answers DATABASE_UNAVAILABLE when Postgres cannot be reached', async () => {
    const pool = createPool('postgres://postgres@127.0.0.1:1/test', { connectionTimeoutMs: 500 });
    try {
      const error: unknown = await createJobRepository(pool)
        .get('acme', 'job-001')
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'DATABASE_UNAVAILABLE', retryable: true });
    } finally {
      await pool.end();
    }
  });
});
