import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { type BlobStore, FileBlobStore, S3BlobStore } from '@gantry/blob-store';
import { startTestS3 } from '@gantry/blob-store/testing';
import { redisKeys } from '@gantry/job-state';
import { createRecorder } from '@gantry/job-store';
import { createTestSchema, deletePrefix, type TestSchema } from '@gantry/job-store/testing';
import { OcrExtract } from '@gantry/contracts';
import { JobProducer } from '@gantry/queue-runtime';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BlobSweeper, startBlobSweeper } from './blob-sweeper.js';

// Real Redis (the lock, the records stream), real PostgreSQL (the jobs) and each real blob store:
// the filesystem one and the S3 one on a real S3-compatible server (s3rver). Retention is 2 s.
const retentionSeconds = 2;
const quietLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

const stores: [string, () => Promise<{ blobs: BlobStore; close(): Promise<void> }>][] = [
  [
    'file',
    async () => {
      const root = await mkdtemp(path.join(tmpdir(), 'gantry-sweep-'));
      return { blobs: new FileBlobStore(root), close: () => rm(root, { recursive: true, force: true }) };
    },
  ],
  [
    's3',
    async () => {
      const s3 = await startTestS3();
      return { blobs: new S3BlobStore({ client: s3.client, bucket: s3.bucket }), close: () => s3.stop() };
    },
  ],
];

describe.each(stores)('blob sweeper with the %s store (real Redis, PostgreSQL and store)', (_name, open) => {
  const prefix = `t-sweep-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const redis = new Redis('redis://127.0.0.1:6379');
  let db: TestSchema;
  let blobs: BlobStore;
  let closeStore: () => Promise<void>;
  let sweeper: BlobSweeper;

  const upload = async () =>
    (await blobs.put('acme', Readable.from([Buffer.from('some bytes')]), { maxBytes: 1_000 })).blob_id;
  const exists = async (blobId: string) => (await blobs.stat('acme', blobId)) !== null;
  const insertJob = (id: string, status: string, blobId: string, completedSecondsAgo: number | null) =>
    db.pool.query(
      `INSERT INTO jobs (id, tenant, type, queue, status, input, created_at, completed_at, seq)
       VALUES ($1, 'acme', 'ocr.extract', 'ocr', $2, $3, now() - interval '1 hour',
               now() - make_interval(secs => $4), 3)`,
      [id, status, JSON.stringify({ file: { blob_id: blobId }, languages: ['eng'] }), completedSecondsAgo],
    );

  beforeAll(async () => {
    db = await createTestSchema('blob_sweeper');
    ({ blobs, close: closeStore } = await open());
    const records = createRecorder({ redis, pool: db.pool, logger: quietLogger, prefix });
    sweeper = startBlobSweeper({
      blobs,
      pool: db.pool,
      redis,
      prefix,
      retentionSeconds,
      intervalMs: 3_600_000, // the test calls sweep() itself
      unrecordedAgeMs: async () => (await records.backlog()).oldestAgeMs,
      logger: quietLogger,
      batchSize: 2, // several batches, several queries
      recorderWaitMs: 500,
    });
  });
  afterAll(async () => {
    await sweeper?.stop();
    await deletePrefix(redis, prefix);
    await redis.quit();
    await closeStore?.();
    await db?.drop();
  });

  it('deletes old blobs no job needs, keeps those a job still needs and young ones', async () => {
    const byRunning = await upload();
    const byFinishedLongAgo = await upload();
    const byFinishedRecently = await upload();
    const byOneOldAndOneQueued = await upload();
    const unreferenced = await upload(); // its job was never created
    await insertJob('running', 'running', byRunning, null);
    await insertJob('done-long-ago', 'succeeded', byFinishedLongAgo, 3_600);
    await insertJob('old-too', 'canceled', byOneOldAndOneQueued, 3_600);
    await insertJob('queued', 'queued', byOneOldAndOneQueued, null);
    // Object stores keep whole seconds: wait past retention plus that rounding.
    await new Promise((resolve) => setTimeout(resolve, (retentionSeconds + 1.5) * 1_000));
    await insertJob('done-recently', 'failed', byFinishedRecently, 0);
    const young = await upload();

    expect(await sweeper.sweep()).toEqual({ ran: true, deleted: 2, kept: 3 });

    expect(await exists(byRunning)).toBe(true);
    expect(await exists(byFinishedRecently)).toBe(true);
    expect(await exists(byOneOldAndOneQueued)).toBe(true);
    expect(await exists(young)).toBe(true);
    expect(await exists(byFinishedLongAgo)).toBe(false);
    expect(await exists(unreferenced)).toBe(false);
    await expect(blobs.read('acme', byFinishedLongAgo)).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });

    // Once the last job that needed it passes retention, the blob goes too.
    await db.pool.query(
      "UPDATE jobs SET status = 'succeeded', completed_at = now() - interval '1 hour' WHERE id = 'running'",
    );
    expect(await sweeper.sweep()).toMatchObject({ ran: true, deleted: 1 });
    expect(await exists(byRunning)).toBe(false);
  });

  it('waits for a job not yet recorded in PostgreSQL, which may name an old blob', async () => {
    const blobId = await upload();
    await new Promise((resolve) => setTimeout(resolve, (retentionSeconds + 1.5) * 1_000));
    // The gateway's producer writes the job to Redis and its records stream; PostgreSQL has not seen it.
    const producer = new JobProducer(redis, prefix, { retentionSeconds: 60 });
    await producer.submit({
      tenant: 'acme',
      type: OcrExtract.type,
      queue: OcrExtract.queue,
      defaults: OcrExtract.defaults,
      input: { file: { blob_id: blobId }, languages: ['eng'] },
    });
    expect(await sweeper.sweep()).toEqual({ ran: false, reason: 'recorder behind' });
    expect(await exists(blobId)).toBe(true);

    // A real recorder writes it; the job now keeps its blob.
    const recorder = createRecorder({ redis, pool: db.pool, logger: quietLogger, prefix });
    recorder.start();
    await recorder.flush(10_000);
    await recorder.stop();
    expect(await sweeper.sweep()).toMatchObject({ ran: true });
    expect(await exists(blobId)).toBe(true);
  });

  it('leaves the round to the replica holding the lock', async () => {
    const lock = redisKeys(prefix).blobSweeperLock;
    await redis.set(lock, 'another-replica', 'PX', 5_000);
    try {
      expect(await sweeper.sweep()).toEqual({ ran: false, reason: 'another replica sweeps' });
      expect(await redis.get(lock)).toBe('another-replica');
    } finally {
      await redis.del(lock);
    }
  });
});
