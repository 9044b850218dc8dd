import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GantryError } from '@gantry/contracts';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeColourClassifier } from './colour-classifier.js';
import { createImageClassifier, type ImageClassifier } from './create-image-classifier.js';

// A real ONNX graph (the colour classifier, written here with onnx-proto) on the real
// onnxruntime-node, fed by sharp: the engine path is the one an ImageNet model takes.
const base = { maxPixels: 40_000_000, intraOpNumThreads: 1, maxBatchSize: 8, maxWaitMs: 0 };
let root: string;
let folderCount = 0;
const open: ImageClassifier[] = [];

async function installed(options: Parameters<typeof writeColourClassifier>[1] = {}) {
  const folder = path.join(root, `classifier-${folderCount++}`);
  await writeColourClassifier(folder, options);
  return folder;
}

async function load(folder: string, extra: Partial<typeof base> & { onBatch?: (size: number) => void } = {}) {
  const classifier = await createImageClassifier({ ...base, ...extra, folder });
  if (!classifier) throw new Error(`no classifier in ${folder}`);
  open.push(classifier);
  return classifier;
}

const solid = (background: string, width = 120, height = 80) =>
  sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer();

async function failure(promise: Promise<unknown>): Promise<GantryError> {
  const caught: unknown = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!(caught instanceof GantryError)) throw new Error(`expected a GantryError, got ${String(caught)}`);
  return caught;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'gantry-classifier-'));
});
afterAll(async () => {
  await Promise.all(open.map((classifier) => classifier.close()));
  await rm(root, { recursive: true, force: true });
});

describe('createImageClassifier', () => {
  it('classifies by dominant colour: top-k labels, probabilities summing to 1', async () => {
    const classifier = await load(await installed());
    expect(classifier.model).toMatchObject({ name: 'colour-classifier', version: '1.0.0' });
    const red = await classifier.classify(await solid('#e01818'), { topK: 3, minScore: 0 });
    expect(red).toMatchObject({ width: 120, height: 80 });
    expect(red.labels.map((l) => l.label)).toEqual(['red', expect.any(String), expect.any(String)]);
    expect(red.labels[0]?.score).toBeGreaterThan(0.95);
    expect(red.labels[0]?.index).toBe(classifier.labels.indexOf('red'));

    const all = await classifier.classify(await solid('#1010f0'), { topK: 100, minScore: 0 });
    expect(all.labels).toHaveLength(9);
    expect(all.labels[0]?.label).toBe('blue');
    expect(all.labels.reduce((sum, l) => sum + l.score, 0)).toBeCloseTo(1, 2);

    const confident = await classifier.classify(await solid('#101010'), { topK: 5, minScore: 0.5 });
    expect(confident.labels.map((l) => l.label)).toEqual(['black']);
  });

  it('feeds NHWC, BGR and in-graph softmax models as their manifest says', async () => {
    const classifier = await load(await installed({ layout: 'NHWC', colourOrder: 'BGR', output: 'softmax' }));
    for (const [colour, label] of [
      ['#f0e010', 'yellow'],
      ['#10e0f0', 'cyan'],
      ['#e010f0', 'magenta'],
      ['#1010f0', 'blue'],
    ] as const) {
      const result = await classifier.classify(await solid(colour), { topK: 1, minScore: 0 });
      expect(result.labels[0]?.label, colour).toBe(label);
    }
  });

  it('runs concurrent calls as one batch, each getting its own answer', async () => {
    const sizes: number[] = [];
    const classifier = await load(await installed(), { maxWaitMs: 200, onBatch: (size) => sizes.push(size) });
    const colours = [
      ['#e01818', 'red'],
      ['#18e018', 'green'],
      ['#1818e0', 'blue'],
      ['#f0f0f0', 'white'],
      ['#808080', 'grey'],
    ] as const;
    const images = await Promise.all(colours.map(([colour]) => solid(colour)));
    const results = await Promise.all(
      images.map((image) => classifier.classify(image, { topK: 1, minScore: 0 })),
    );
    expect(results.map((r) => r.labels[0]?.label)).toEqual(colours.map(([, label]) => label));
    expect(sizes).toEqual([5]);
  });

  it('bounds a batch by its size, and fails a bad image alone', async () => {
    const sizes: number[] = [];
    const classifier = await load(await installed(), {
      maxBatchSize: 2,
      maxWaitMs: 200,
      onBatch: (size) => sizes.push(size),
    });
    const images = await Promise.all(['#e01818', '#18e018', '#1818e0'].map((colour) => solid(colour)));
    const results = await Promise.allSettled([
      ...images.map((image) => classifier.classify(image, { topK: 1, minScore: 0 })),
      classifier.classify(Buffer.from('not an image at all'), { topK: 1, minScore: 0 }),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.labels[0]?.label : r.reason.code))).toEqual(
      ['red', 'green', 'blue', 'UNSUPPORTED_MEDIA_TYPE'],
    );
    expect(sizes.every((size) => size <= 2)).toBe(true);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(3);
  });

  it('keeps a model with a fixed batch of 1 to batches of 1', async () => {
    const classifier = await load(await installed({ batch: 1 }), { maxBatchSize: 8 });
    expect(classifier.maxBatchSize).toBe(1);
    const results = await Promise.all(
      ['#e01818', '#18e018'].map(async (colour) =>
        classifier.classify(await solid(colour), { topK: 1, minScore: 0 }),
      ),
    );
    expect(results.map((r) => r.labels[0]?.label)).toEqual(['red', 'green']);
  });

  it('gives up a canceled call without running it', async () => {
    const sizes: number[] = [];
    const classifier = await load(await installed(), { maxWaitMs: 100, onBatch: (size) => sizes.push(size) });
    const controller = new AbortController();
    const [kept, canceled] = [
      classifier.classify(await solid('#e01818'), { topK: 1, minScore: 0 }),
      classifier.classify(await solid('#18e018'), { topK: 1, minScore: 0, signal: controller.signal }),
    ];
    setTimeout(() => controller.abort(new GantryError('JOB_CANCELED', 'canceled')), 20);
    expect((await failure(canceled)).code).toBe('JOB_CANCELED');
    expect((await kept).labels[0]?.label).toBe('red');
    expect(sizes).toEqual([1]);
  });

  it('resolves to null when the folder has no manifest (nothing installed)', async () => {
    expect(await createImageClassifier({ ...base, folder: path.join(root, 'nothing-here') })).toBeNull();
  });

  it('refuses a model that fails the manifest checksum', async () => {
    const folder = await installed();
    await writeFile(path.join(folder, 'colour-classifier.onnx'), Buffer.from('tampered'), { flag: 'a' });
    const error = await failure(createImageClassifier({ ...base, folder }));
    expect(error.code).toBe('MODEL_UNAVAILABLE');
    expect(error.message).toMatch(/fails its checksum/);
  });

  it('refuses manifests that cannot be used, saying which field', async () => {
    const cases: [string, (manifest: Record<string, unknown>) => unknown, RegExp][] = [
      ['not JSON', () => '{ "name": ', /is not JSON/],
      ['a missing field', ({ output: _output, ...rest }) => rest, /output/],
      [
        'a bad layout',
        (m) => ({ ...m, input: { ...(m['input'] as object), layout: 'CHW' } }),
        /input\.layout/,
      ],
      ['a path out of the folder', (m) => ({ ...m, labels_file: '../../etc/passwd' }), /labels_file/],
      [
        'a wrong input size',
        (m) => ({ ...m, input: { ...(m['input'] as object), width: 64 } }),
        /\[N, 3, 32, 64\]/,
      ],
      ['a wrong layout', (m) => ({ ...m, input: { ...(m['input'] as object), layout: 'NHWC' } }), /NHWC/],
      ['a missing labels file', (m) => ({ ...m, labels_file: 'absent.txt' }), /absent\.txt cannot be read/],
    ];
    for (const [name, edit, message] of cases) {
      const folder = await installed();
      const file = path.join(folder, 'manifest.json');
      const edited = edit(JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>);
      await writeFile(file, typeof edited === 'string' ? edited : JSON.stringify(edited));
      const error = await failure(createImageClassifier({ ...base, folder }));
      expect(error.code, name).toBe('MODEL_MANIFEST_INVALID');
      expect(error.message, name).toMatch(message);
    }
  });

  it('refuses labels that do not match the model output', async () => {
    const folder = await installed();
    await writeFile(path.join(folder, 'labels.txt'), 'red\ngreen\nblue\n');
    const error = await failure(createImageClassifier({ ...base, folder }));
    expect(error.code).toBe('MODEL_MANIFEST_INVALID');
    expect(error.message).toMatch(/gives 9 scores per image and labels_file has 3 labels/);
  });
});
