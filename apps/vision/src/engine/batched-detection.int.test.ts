import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GantryError } from '@gantry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchableYolox } from './batchable-yolox.js';
import { createObjectDetector, type ObjectDetector } from './create-object-detector.js';

// The real YOLOX-Nano with its batch dimension freed, on real photos, beside the same model run one
// image at a time: nothing is mocked.
const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const modelsDir = process.env['MODELS_DIR'] ?? path.resolve(repoRoot, '../shared/models');
const fixtures = path.resolve(repoRoot, '../shared/fixtures/images');
const photos = ['dog.jpg', 'cat-chelsea.png', 'astronaut.png', 'coffee.png'];
const options = { minScore: 0.3, maxDetections: 100 };

let single: ObjectDetector;
let batched: ObjectDetector;
const sizes: number[] = [];
let images: Buffer[];

beforeAll(async () => {
  images = await Promise.all(photos.map((name) => readFile(path.join(fixtures, name))));
  [single, batched] = await Promise.all([
    createObjectDetector({ modelsDir, intraOpNumThreads: 1 }),
    createObjectDetector({
      modelsDir,
      intraOpNumThreads: 1,
      maxBatchSize: 4,
      maxWaitMs: 5_000,
      onBatch: (size) => sizes.push(size),
    }),
  ]);
});
afterAll(() => Promise.all([single.close(), batched.close()]));

describe('micro-batched detection', () => {
  it('frees the batch dimension of the pinned graph, and only of a graph it recognises', async () => {
    const model = await readFile(path.join(modelsDir, 'yolox-nano', 'yolox_nano.onnx'));
    expect(batchableYolox(model)).toBeInstanceOf(Uint8Array);
    expect(batchableYolox(new Uint8Array())).toBeNull();
    expect(single.maxBatchSize).toBe(1);
    expect(batched.maxBatchSize).toBe(4);
  });

  it('runs four concurrent calls as one batch, each getting what it gets alone', async () => {
    const alone = [];
    for (const image of images) alone.push(await single.detect(image, options));
    sizes.length = 0;
    const together = await Promise.all(images.map((image) => batched.detect(image, options)));
    expect(sizes).toEqual([4]);
    expect(together).toEqual(alone);
    expect(together.map((result) => result.objects[0]?.label)).toEqual(['dog', 'cat', 'person', 'cup']);
  });

  it('fails a bad image alone while the others of its batch succeed', async () => {
    sizes.length = 0;
    const results = await Promise.allSettled([
      batched.detect(images[0] as Buffer, options),
      batched.detect(Buffer.from('GIF89a but truncated'), options),
      batched.detect(images[1] as Buffer, options),
      batched.detect(images[2] as Buffer, options),
      batched.detect(images[3] as Buffer, options),
    ]);
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    const failure = results[1];
    expect(failure?.status === 'rejected' && failure.reason).toBeInstanceOf(GantryError);
    expect(sizes).toEqual([4]);
  });

  it('runs the same stages as detect when they are called apart, one session run per batch', async () => {
    const prepared = await Promise.all(images.map((image) => batched.stages.prepare(image)));
    const outputs = await batched.stages.infer(batched.stages.fill(prepared));
    const objects = prepared.map((image, index) =>
      batched.stages.finish(image, outputs[index] as Float32Array, options),
    );
    const detected = await Promise.all(images.map((image) => batched.detect(image, options)));
    expect(objects).toEqual(detected.map((result) => result.objects));
    expect(prepared.map(({ width, height }) => [width, height])).toEqual(
      detected.map(({ width, height }) => [width, height]),
    );
    expect(() => single.stages.fill(prepared.slice(0, 2))).toThrow(/1 to 1 images, not 2/);
  });

  it('reuses its input buffer without anything of an earlier batch showing through', async () => {
    const prepared = await Promise.all(images.map((image) => batched.stages.prepare(image)));
    const alone = await Promise.all(images.map((image) => single.detect(image, options)));
    const run = async (order: number[]) => {
      const batch = order.map((index) => prepared[index] as (typeof prepared)[number]);
      const outputs = await batched.stages.infer(batched.stages.fill(batch));
      return batch.map((image, slot) => batched.stages.finish(image, outputs[slot] as Float32Array, options));
    };
    // Slot 0 holds the dog (padded below), then the square astronaut (no pad) in a smaller batch,
    // then the coffee (padded below again): every slot ends up with another image.
    expect(await run([0, 1, 2, 3])).toEqual(alone.map((result) => result.objects));
    expect(await run([2])).toEqual([alone[2]?.objects]);
    expect(await run([3, 2, 1, 0])).toEqual([...alone].reverse().map((result) => result.objects));
  });

  it('leaves the main thread free while a batch runs: the session has a thread of its own', async () => {
    const prepared = await Promise.all(images.map((image) => batched.stages.prepare(image)));
    const running = batched.stages.infer(batched.stages.fill(prepared));
    // On the main thread, onnxruntime-node ran the whole batch in a callback queued before this one,
    // and resolved it before this one ran.
    let ranDuring = false;
    setImmediate(() => {
      ranDuring = true;
    });
    let settled = false;
    void running.then(() => {
      settled = true;
    });
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(ranDuring).toBe(true);
    expect(settled).toBe(false);
    expect(await running).toHaveLength(images.length);
  });
});
