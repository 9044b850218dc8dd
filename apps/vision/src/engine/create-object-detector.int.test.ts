import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GantryError } from '@gantry/contracts';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createObjectDetector,
  type DetectedObject,
  type Detections,
  type ObjectDetector,
} from './create-object-detector.js';

// Real YOLOX-Nano on real photos: nothing is mocked. Scores move a little with resize kernels, so
// the assertions are on labels, score floors and where boxes lie, not on exact numbers.

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const modelsDir = process.env['MODELS_DIR'] ?? path.resolve(repoRoot, '../shared/models');
const fixtures = path.resolve(repoRoot, '../shared/fixtures/images');
const fixture = (name: string) => readFile(path.join(fixtures, name));
const defaults = { minScore: 0.3, maxDetections: 100 };

const centre = ({ box }: DetectedObject) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 });
const labels = (result: Detections) => result.objects.map((object) => object.label);
const find = (result: Detections, label: string) => {
  const found = result.objects.find((object) => object.label === label);
  if (!found) throw new Error(`no ${label} in ${JSON.stringify(result.objects)}`);
  return found;
};

async function rejection(promise: Promise<unknown>): Promise<GantryError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GantryError);
  return error as GantryError;
}

describe('createObjectDetector with the real YOLOX-Nano', () => {
  let detector: ObjectDetector;
  let dog: Detections;

  beforeAll(async () => {
    detector = await createObjectDetector({ modelsDir, intraOpNumThreads: 1 });
    dog = await detector.detect(await fixture('dog.jpg'), defaults);
  });
  afterAll(() => detector.close());

  it('reports the model it loaded', () => {
    expect(detector.model).toEqual({
      name: 'yolox-nano',
      version: '0.1.1',
      sha256: '695e750a5d5754bb5a8d5325643b59282191a7e7a564e435a415fd3c578eab14',
    });
    expect(detector.labels).toHaveLength(80);
  });

  it('finds the dog, the bicycle and the truck (labelled car) where they are in dog.jpg', () => {
    expect(dog).toMatchObject({ width: 768, height: 576 });
    expect(labels(dog)).toEqual(expect.arrayContaining(['dog', 'bicycle', 'car']));
    for (const label of ['dog', 'bicycle', 'car']) expect(find(dog, label).score).toBeGreaterThan(0.7);

    const dogCentre = centre(find(dog, 'dog'));
    expect(dogCentre.x).toBeLessThan(768 / 2); // the dog sits in the lower left
    expect(dogCentre.y).toBeGreaterThan(576 / 2);
    const truck = centre(find(dog, 'car'));
    expect(truck.x).toBeGreaterThan(768 / 2); // the pickup is parked top right
    expect(truck.y).toBeLessThan(576 / 2);
    expect(find(dog, 'bicycle').box.width).toBeGreaterThan(768 / 2);

    for (const { box } of dog.objects) {
      expect(box.x + box.width).toBeLessThanOrEqual(768);
      expect(box.y + box.height).toBeLessThanOrEqual(576);
    }
    const scores = dog.objects.map((object) => object.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('finds the person, the cat and the cup in the other photos', async () => {
    const expected = { 'astronaut.png': 'person', 'cat-chelsea.png': 'cat', 'coffee.png': 'cup' };
    for (const [file, label] of Object.entries(expected)) {
      const result = await detector.detect(await fixture(file), defaults);
      expect(result.objects[0]?.label, file).toBe(label);
      expect(result.objects[0]?.score, file).toBeGreaterThan(0.5);
    }
  });

  it('gives the same boxes, in displayed pixels, for an EXIF-rotated copy', async () => {
    // Pixels stored a quarter turn left and tagged orientation 6 (show turned a quarter right): it
    // displays as dog.jpg. Compared with an upright copy encoded the same way: re-encoding alone moves
    // the bicycle's loose box by up to 13 px.
    const photo = await fixture('dog.jpg');
    const upright = await sharp(photo).jpeg({ quality: 100 }).toBuffer();
    const rotated = await sharp(photo)
      .rotate(270)
      .jpeg({ quality: 100 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect(await sharp(rotated).metadata()).toMatchObject({ width: 576, height: 768, orientation: 6 });

    const result = await detector.detect(rotated, defaults);
    const reference = await detector.detect(upright, defaults);
    expect(result).toMatchObject({ width: 768, height: 576 });
    for (const label of ['dog', 'bicycle', 'car']) {
      const expected = find(reference, label).box;
      const actual = find(result, label).box;
      for (const key of ['x', 'y', 'width', 'height'] as const) {
        expect(Math.abs(actual[key] - expected[key]), `${label} ${key}`).toBeLessThanOrEqual(6);
      }
    }
  });

  it('keeps only the classes asked for', async () => {
    const result = await detector.detect(await fixture('dog.jpg'), {
      ...defaults,
      classes: ['bicycle', 'car'],
    });
    expect(labels(result).sort()).toEqual(['bicycle', 'car']);
    expect(find(result, 'car').box).toEqual(find(dog, 'car').box);
  });

  it('drops objects under min_score, and answers no objects rather than an error', async () => {
    expect(dog.objects.some((object) => object.score < 0.5)).toBe(true); // the "cat" on the dog
    const confident = await detector.detect(await fixture('dog.jpg'), { ...defaults, minScore: 0.5 });
    expect(confident.objects.length).toBeGreaterThanOrEqual(3);
    expect(confident.objects.every((object) => object.score >= 0.5)).toBe(true);

    const none = await detector.detect(await fixture('dog.jpg'), { ...defaults, minScore: 0.99 });
    expect(none).toEqual({ width: 768, height: 576, objects: [] });
  });

  it('keeps the best max_detections objects', async () => {
    const result = await detector.detect(await fixture('dog.jpg'), { ...defaults, maxDetections: 2 });
    expect(result.objects).toEqual(dog.objects.slice(0, 2));
  });

  it('refuses unknown classes and non-images with typed errors', async () => {
    const bytes = await fixture('dog.jpg');
    const unknown = await rejection(detector.detect(bytes, { ...defaults, classes: ['dog', 'unicorn'] }));
    expect(unknown.code).toBe('VALIDATION_FAILED');
    expect(unknown.details).toMatchObject({ unknown: ['unicorn'] });

    const text = await rejection(detector.detect(Buffer.from('not a picture'), defaults));
    expect(text.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('canceled by test'));
    await expect(
      detector.detect(await fixture('dog.jpg'), { ...defaults, signal: controller.signal }),
    ).rejects.toThrow('canceled by test');
  });
});

describe('createObjectDetector without a good model', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'gantry-vision-'));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('fails with MODEL_UNAVAILABLE and says what to run when the files are missing', async () => {
    const error = await rejection(createObjectDetector({ modelsDir: path.join(scratch, 'nowhere') }));
    expect(error.code).toBe('MODEL_UNAVAILABLE');
    expect(error.message).toContain('npm run models:fetch');
  });

  it('fails with MODEL_UNAVAILABLE when the model does not match its pinned checksum', async () => {
    const folder = path.join(scratch, 'tampered', 'yolox-nano');
    await mkdir(folder, { recursive: true });
    await copyFile(
      path.join(modelsDir, 'yolox-nano', 'coco-labels.txt'),
      path.join(folder, 'coco-labels.txt'),
    );
    const model = await readFile(path.join(modelsDir, 'yolox-nano', 'yolox_nano.onnx'));
    model[model.length - 1] = (model[model.length - 1] ?? 0) ^ 0xff;
    await writeFile(path.join(folder, 'yolox_nano.onnx'), model);

    const error = await rejection(createObjectDetector({ modelsDir: path.join(scratch, 'tampered') }));
    expect(error.code).toBe('MODEL_UNAVAILABLE');
    expect(error.message).toMatch(/checksum/);
    expect(error.details).toMatchObject({
      expected_sha256: '695e750a5d5754bb5a8d5325643b59282191a7e7a564e435a415fd3c578eab14',
    });
  });
});
