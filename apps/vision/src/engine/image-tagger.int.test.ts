import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImageClassifier, type ImageClassifier } from '../classifier/create-image-classifier.js';
import { writeColourClassifier } from '../classifier/colour-classifier.js';
import { createObjectDetector, type ObjectDetector } from './create-object-detector.js';
import { createImageTagger, type ImageTagger } from './image-tagger.js';

// Real YOLOX-Nano, sharp and exif-reader on real files, and a real ONNX classifier (the colour
// classifier, written here): nothing is mocked.
const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const modelsDir = process.env['MODELS_DIR'] ?? path.resolve(repoRoot, '../shared/models');
const fixture = (name: string) => readFile(path.resolve(repoRoot, '../shared/fixtures/images', name));

let detector: ObjectDetector;
let tagger: ImageTagger;
let classifier: ImageClassifier | null;
let classifierDir: string;
beforeAll(async () => {
  detector = await createObjectDetector({ modelsDir, intraOpNumThreads: 1 });
  tagger = createImageTagger({ detector, classifier: null, maxPixels: 40_000_000 });
  classifierDir = await mkdtemp(path.join(tmpdir(), 'gantry-tagger-'));
  await writeColourClassifier(classifierDir);
  classifier = await createImageClassifier({
    folder: classifierDir,
    maxPixels: 40_000_000,
    maxBatchSize: 1,
    maxWaitMs: 0,
  });
});
afterAll(async () => {
  await Promise.all([detector.close(), classifier?.close()]);
  await rm(classifierDir, { recursive: true, force: true });
});

describe('createImageTagger', () => {
  it('labels dog.jpg from its detections and measures it', async () => {
    const tags = await tagger.tag(await fixture('dog.jpg'), { minScore: 0.4 });
    expect(tags).toMatchObject({
      width: 768,
      height: 576,
      format: 'jpeg',
      orientation: 1,

      blurry: false,
    });
    // dog.jpg keeps the EXIF block of the camera that took it.
    expect(tags.capture).toEqual({
      taken_at: '2014-09-19T16:08:30',
      camera_make: 'Canon',
      camera_model: 'Canon PowerShot S95',
      exposure_time_s: 0.0125,
      f_number: 4,
      iso: 250,
      focal_length_mm: 6,
      gps: null,
    });
    expect(tags.labels.map((l) => l.label)).toEqual(expect.arrayContaining(['dog', 'bicycle']));
    expect(tags.labels.every((l) => l.source === 'detection' && l.count >= 1 && l.confidence >= 0.4)).toBe(
      true,
    );
    expect(tags.dominant_colours.length).toBeGreaterThan(0);
    expect(tags.dominant_colours.reduce((sum, c) => sum + c.share, 0)).toBeLessThanOrEqual(1.001);
  });

  it('reads EXIF orientation and capture data, and calls a blurred copy blurry', async () => {
    const photo = await sharp(await fixture('dog.jpg'))
      .blur(6)
      .withExif({
        IFD0: { Make: 'Gantry', Model: 'Bench 1' },
        IFD2: { DateTimeOriginal: '2026:11:02 09:15:00', FNumber: '28/10', ISOSpeedRatings: '200' },
      })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const tags = await tagger.tag(photo, { minScore: 0.4 });
    expect(tags).toMatchObject({ width: 576, height: 768, orientation: 6, blurry: true });
    expect(tags.capture).toMatchObject({
      camera_make: 'Gantry',
      camera_model: 'Bench 1',
      taken_at: '2026-11-02T09:15:00',
      f_number: 2.8,
      iso: 200,
    });
  });

  it('gives a one-colour image that colour and no label', async () => {
    const red = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#d02020' } })
      .png()
      .toBuffer();
    const tags = await tagger.tag(red, { minScore: 0.4 });
    expect(tags.labels).toEqual([]);
    expect(tags.dominant_colours).toEqual([{ hex: '#d02020', share: 1 }]);
  });

  it('says a GIF or WebP is animated and how many frames it has, and tags its first frame', async () => {
    const frame = (background: string) =>
      sharp({ create: { width: 64, height: 64, channels: 3, background } })
        .png()
        .toBuffer();
    const frames = [await frame('#ff0000'), await frame('#0000ff'), await frame('#00ff00')];
    for (const format of ['gif', 'webp'] as const) {
      const animation = await sharp(frames, { join: { animated: true } })
        .toFormat(format)
        .toBuffer();
      const tags = await tagger.tag(animation, { minScore: 0.4 });
      expect(tags).toMatchObject({ format, frames: 3, animated: true });
      expect(tags.dominant_colours[0]?.hex).toMatch(/^#f[0-9a-f]0[0-9a-f]0[0-9a-f]$/);
    }
    const still = await tagger.tag(await frame('#0000ff'), { minScore: 0.4 });
    expect(still).toMatchObject({ format: 'png', frames: 1, animated: false });
  });

  it('reads a dark image darker than a bright one, at their grey levels', async () => {
    const grey = (level: number) =>
      sharp({
        create: { width: 200, height: 100, channels: 3, background: { r: level, g: level, b: level } },
      })
        .png()
        .toBuffer();
    const [dark, bright] = await Promise.all(
      [32, 224].map(async (level) => tagger.tag(await grey(level), { minScore: 0.4 })),
    );
    expect(dark?.brightness).toBeCloseTo(32 / 255, 3);
    expect(bright?.brightness).toBeCloseTo(224 / 255, 3);
    expect(dark?.contrast).toBe(0);

    // The same photo at 30 % of its levels: darker by that share.
    const dog = await fixture('dog.jpg');
    const photo = await tagger.tag(dog, { minScore: 0.4 });
    const dimmed = await tagger.tag(await sharp(dog).linear(0.3, 0).png().toBuffer(), { minScore: 0.4 });
    expect(dimmed.brightness).toBeLessThan(photo.brightness);
    expect(dimmed.brightness / photo.brightness).toBeCloseTo(0.3, 1);
  });

  it('reads a flat image lower in contrast than a full-range one', async () => {
    // Two halves: black and white spread luminance over its whole range (standard deviation 0.5);
    // levels 120 and 136 barely (8 / 255).
    const halves = (left: number, right: number) =>
      sharp({ create: { width: 256, height: 128, channels: 3, background: { r: left, g: left, b: left } } })
        .composite([
          {
            input: {
              create: { width: 128, height: 128, channels: 3, background: { r: right, g: right, b: right } },
            },
            left: 128,
            top: 0,
          },
        ])
        .png()
        .toBuffer();
    const full = await tagger.tag(await halves(0, 255), { minScore: 0.4 });
    const flat = await tagger.tag(await halves(120, 136), { minScore: 0.4 });
    expect(full.contrast).toBeCloseTo(0.5, 3);
    expect(flat.contrast).toBeCloseTo(8 / 255, 3);
    expect(flat.brightness).toBeCloseTo(full.brightness, 1);

    // The same photo squeezed to 30 % of its range around mid-grey: its contrast shrinks by that share.
    const dog = await fixture('dog.jpg');
    const photo = await tagger.tag(dog, { minScore: 0.4 });
    const squeezed = await tagger.tag(
      await sharp(dog)
        .linear(0.3, 0.35 * 255)
        .png()
        .toBuffer(),
      {
        minScore: 0.4,
      },
    );
    expect(squeezed.contrast / photo.contrast).toBeCloseTo(0.3, 1);
  });

  it("adds the installed classifier's classes as classification labels", async () => {
    const withClassifier = createImageTagger({ detector, classifier, maxPixels: 40_000_000 });
    const red = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#e01010' } })
      .png()
      .toBuffer();
    const tags = await withClassifier.tag(red, { minScore: 0.4 });
    expect(tags.labels).toEqual([
      { label: 'red', source: 'classification', count: 1, confidence: expect.any(Number) },
    ]);
    expect(tags.labels[0]?.confidence).toBeGreaterThan(0.9);

    const dog = await withClassifier.tag(await fixture('dog.jpg'), { minScore: 0.4 });
    expect(dog.labels.filter((l) => l.source === 'detection').map((l) => l.label)).toContain('dog');
  });
});
