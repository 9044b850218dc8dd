import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBlobsInUse } from './find-blobs-in-use.js';
import { createTestSchema, type TestSchema } from './testing/create-test-schema.js';

// Real Postgres, one migrated schema for this file; job rows are inserted as the recorder leaves them.
let db: TestSchema;
const retention = 3_600;

async function insertJob(
  id: string,
  status: string,
  input: unknown,
  completedSecondsAgo: number | null = null,
): Promise<void> {
  await db.pool.query(
    `INSERT INTO jobs (id, tenant, type, queue, status, input, created_at, completed_at, seq)
     VALUES ($1, 'acme', 'ocr.extract', 'ocr', $2, $3, now() - interval '2 days',
             now() - make_interval(secs => $4), 3)`,
    [id, status, JSON.stringify(input), completedSecondsAgo],
  );
}

async function insertSchedule(id: string, target: unknown): Promise<void> {
  await db.pool.query(
    `INSERT INTO schedules (id, tenant, every_s, timezone, misfire, target, paused)
     VALUES ($1, 'acme', 60, 'UTC', 'run_once', $2, $1 LIKE '%paused%')`,
    [id, JSON.stringify(target)],
  );
}

/** A batch's items (inputs as the gateway stores them), its batch job in the given state. */
async function insertBatch(id: string, status: string | null, inputs: unknown[], completedSecondsAgo = 0) {
  if (status) await insertJob(id, status, { type: 'ocr.extract', total: inputs.length }, completedSecondsAgo);
  await db.pool.query(
    `INSERT INTO batch_items (batch_id, idx, input)
     SELECT $1, i - 1, item FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(item, i)`,
    [id, JSON.stringify(inputs)],
  );
}

beforeAll(async () => {
  db = await createTestSchema('blobs_in_use');
  // Items wait in PostgreSQL, with no job, until their batch's window reaches them.
  await insertBatch('batch-live', 'running', [{ text: 'x' }, { file: { blob_id: 'blob-batch-item' } }]);
  await insertBatch('batch-unrecorded', null, [{ file: { blob_id: 'blob-batch-unrecorded' } }]);
  await insertBatch('batch-recent', 'canceled', [{ file: { blob_id: 'blob-batch-recent' } }], 60);
  await insertBatch('batch-old', 'succeeded', [{ file: { blob_id: 'blob-batch-old' } }], 2 * retention);
  await insertSchedule('sch-job', { type: 'ocr.extract', input: { file: { blob_id: 'blob-scheduled' } } });
  await insertSchedule('sch-paused', { type: 'ocr.extract', input: { file: { blob_id: 'blob-paused' } } });
  await insertSchedule('sch-pipeline', {
    pipeline: { steps: [{ id: 'a', type: 'ocr.extract', input: { file: { blob_id: 'blob-in-step' } } }] },
    input: { doc: { blob_id: 'blob-pipeline-input' } },
  });
  await insertSchedule('sch-deleted', { type: 'ocr.extract', input: { file: { blob_id: 'blob-released' } } });
  await db.pool.query("DELETE FROM schedules WHERE id = 'sch-deleted'");
  // Its job ended long ago: only the schedule could keep it.
  await insertJob('old-scheduled', 'succeeded', { file: { blob_id: 'blob-scheduled' } }, 2 * retention);
  await insertJob('running', 'running', { file: { blob_id: 'blob-running' } });
  await insertJob('queued', 'queued', { file: { blob_id: 'blob-queued' } });
  await insertJob('recent', 'succeeded', { file: { blob_id: 'blob-recent' } }, 60);
  await insertJob('old', 'failed', { file: { blob_id: 'blob-old' } }, 2 * retention);
  await insertJob('old-canceled', 'canceled', { file: { blob_id: 'blob-shared' } }, 2 * retention);
  await insertJob('shared-running', 'retrying', { file: { blob_id: 'blob-shared' } });
  await insertJob('other-field', 'running', { image: { blob_id: 'blob-other-field' }, n: 1 });
  await insertJob('array', 'running', { pages: [{ blob_id: 'blob-in-array' }] });
  await insertJob('no-blob', 'running', { text: 'blob-free' });
  await insertJob('not-an-object', 'running', [1, 2]);
});
afterAll(() => db.drop());

describe('findBlobsInUse (real PostgreSQL)', () => {
  it('keeps blobs of unfinished jobs and of jobs within retention, and no others', async () => {
    const asked = [
      'blob-running',
      'blob-queued',
      'blob-recent',
      'blob-old',
      'blob-shared',
      'blob-other-field',
      'blob-in-array',
      'blob-never-used',
      'blob-free',
    ];
    const inUse = await findBlobsInUse(db.pool, asked, retention);
    expect([...inUse].sort()).toEqual([
      'blob-in-array',
      'blob-other-field',
      'blob-queued',
      'blob-recent',
      'blob-running',
      'blob-shared',
    ]);
  });

  it('keeps every blob a live schedule names, paused or not, at any depth; a deleted one keeps none', async () => {
    const asked = [
      'blob-scheduled',
      'blob-paused',
      'blob-in-step',
      'blob-pipeline-input',
      'blob-released',
      'blob-never-used',
    ];
    const inUse = await findBlobsInUse(db.pool, asked, retention);
    expect([...inUse].sort()).toEqual([
      'blob-in-step',
      'blob-paused',
      'blob-pipeline-input',
      'blob-scheduled',
    ]);
  });

  it("keeps a blob a batch's item names while the batch is live or within retention", async () => {
    const asked = ['blob-batch-item', 'blob-batch-unrecorded', 'blob-batch-recent', 'blob-batch-old'];
    const inUse = await findBlobsInUse(db.pool, asked, retention);
    expect([...inUse].sort()).toEqual(['blob-batch-item', 'blob-batch-recent', 'blob-batch-unrecorded']);
  });

  it('asks nothing for an empty batch', async () => {
    expect(await findBlobsInUse(db.pool, [], retention)).toEqual(new Set());
  });

  it('is answered from the indexes of migrations 3, 8 and 11, not by reading every job, item and schedule', async () => {
    const client = await db.pool.connect();
    try {
      // A handful of rows would be read sequentially anyway; this asks whether the indexes can serve it.
      await client.query('SET enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT 1 FROM jobs WHERE jsonb_path_query_array(input, '$.*.blob_id') ?| $1::text[]
         UNION ALL
         SELECT 1 FROM batch_items WHERE jsonb_path_query_array(input, '$.*.blob_id') ?| $1::text[]
         UNION ALL
         SELECT 1 FROM schedules WHERE jsonb_path_query_array(target, '$.**.blob_id') ?| $1::text[]`,
        [['blob-old']],
      );
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan).toContain('jobs_blob_ids_idx');
      expect(plan).toContain('batch_items_blob_ids_idx');
      expect(plan).toContain('schedules_blob_ids_idx');
    } finally {
      await client.query('RESET enable_seqscan');
      client.release();
    }
  });
});
