import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { FileBlobStore } from '@gantry/blob-store';
import { VisionDetect } from '@gantry/contracts';
import { runWorker, type RunningWorker } from '@gantry/queue-runtime';
import { jobHarness, testWorkerOptions } from '@gantry/queue-runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectDetector, type ObjectDetector } from './engine/create-object-detector.js';

// The vision worker module in one real engine process (YOLOX-Nano on onnxruntime-node, batches of up to 8)
// behind the real runtime on the real Redis, beside the same model run one image at a time in this process.
const repoRoot = path.resolve(import.meta.dirname, '../../..');
const modelsDir = process.env['MODELS_DIR'] ?? path.resolve(repoRoot, '../shared/models');
const fixtures = path.resolve(repoRoot, '../shared/fixtures/images');
const photos = ['dog.jpg', 'cat-chelsea.png', 'astronaut.png', 'coffee.png'];
const options = { min_score: 0.3, max_detections: 100 };
const prefix = `t-vision-shared-${process.pid}-${Date.now()}`;
const { submit, waitFor, close } = jobHarness(prefix);

let blobDir: string;
let blobs: FileBlobStore;
let worker: RunningWorker;
let alone: ObjectDetector;
let images: Buffer[];

const upload = async (bytes: Buffer, filename: string) => {
  const { blob_id, media_type, size, sha256 } = await blobs.put('acme', Readable.from([bytes]), {
    filename,
    maxBytes: bytes.length,
  });
  return { blob_id, media_type, size, sha256, filename };
};

const detect = async (file: Awaited<ReturnType<typeof upload>>) =>
  (await submit(VisionDetect, { file, ...options })).record.id;

const ended = (id: string) =>
  waitFor(id, (record) => ['succeeded', 'failed'].includes(record.status), 60_000);

beforeAll(async () => {
  blobDir = await mkdtemp(path.join(tmpdir(), 'vision-shared-'));
  blobs = new FileBlobStore(blobDir);
  images = await Promise.all(photos.map((name) => readFile(path.join(fixtures, name))));
  alone = await createObjectDetector({ modelsDir, intraOpNumThreads: 1 });
  worker = await runWorker(
    testWorkerOptions(prefix, {
      module: fileURLToPath(new URL('./worker.ts', import.meta.url)),
      app: 'vision-shared-test',
      concurrency: 1,
      engineEnv: {
        LOG_LEVEL: 'warn',
        BLOB_DIR: blobDir,
        MODELS_DIR: modelsDir,
        VISION_BATCH_MAX_SIZE: '8',
        VISION_BATCH_MAX_WAIT_MS: '20',
      },
    }),
  );
}, 120_000);

afterAll(async () => {
  await worker?.close();
  await alone?.close();
  await close();
  await rm(blobDir, { recursive: true, force: true });
});

describe('vision.detect jobs sharing one engine process', () => {
  it('runs eight jobs together, each getting its own image’s objects, and one bad image fails alone', async () => {
    const expected: Awaited<ReturnType<ObjectDetector['detect']>>[] = [];
    for (const image of images) {
      expected.push(await alone.detect(image, { minScore: 0.3, maxDetections: 100 }));
    }
    const files = await Promise.all(images.map((image, i) => upload(image, photos[i] ?? 'photo')));
    const bad = await upload(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]), 'truncated.jpg');
    // Two of each photo, in an order that puts different images next to each other, and the bad one.
    const order = [0, 1, 2, 3, 3, 2, 1, 0];
    const ids = await Promise.all([...order.map((i) => detect(files[i] as typeof bad)), detect(bad)]);
    const records = await Promise.all(ids.map(ended));

    const failed = records.at(-1);
    expect(failed).toMatchObject({ status: 'failed', error: { retryable: false } });
    expect(failed?.error?.code).toMatch(/^MEDIA_/);
    const good = records.slice(0, -1);
    good.forEach((record, index) => {
      expect(record.status).toBe('succeeded');
      expect(record.output).toEqual(expected[order[index] as number]);
    });
    // One engine process ran them at once: every job started before the first one ended.
    const firstEnd = Math.min(...good.map((record) => Date.parse(record.completed_at ?? '')));
    expect(good.every((record) => Date.parse(record.started_at ?? '') <= firstEnd)).toBe(true);
    expect(worker.enginePids()).toHaveLength(1);
  }, 90_000);
});
