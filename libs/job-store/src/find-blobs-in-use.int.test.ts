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

beforeAll(async () => {
  db = await createTestSchema('blobs_in_use');
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

  it('asks nothing for an empty batch', async () => {
    expect(await findBlobsInUse(db.pool, [], retention)).toEqual(new Set());
  });

  it('is answered from the index of migration 3, not by reading every job', async () => {
    const client = await db.pool.connect();
    try {
      // A handful of rows would be read sequentially anyway; this asks whether the index can serve it.
      await client.query('SET enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT 1 FROM jobs WHERE jsonb_path_query_array(input, '$.*.blob_id') ?| $1::text[]`,
        [['blob-old']],
      );
      expect(rows.map((row) => row['QUERY PLAN']).join('\n')).toContain('jobs_blob_ids_idx');
    } finally {
      await client.query('RESET enable_seqscan');
      client.release();
    }
  });
});
