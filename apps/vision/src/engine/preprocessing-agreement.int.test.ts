import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { interLinearReference } from '@gantry/image-input/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectDetector, type ObjectDetector } from './create-object-detector.js';
import { letterboxFit } from './letterbox.js';
import { iou } from './non-max-suppression.js';
import { yoloxNano } from './yolox-nano.js';

// The detector's fast preprocessing (a JPEG decoded by libjpeg-turbo and resized in JavaScript, other
// formats in one libvips pass straight to the letterbox size, an sRGB profile not applied, the fill
// into a reused buffer) against the plainest one: a full-size decode by libvips with every colour
// transform, a second step to resize (OpenCV's INTER_LINEAR written out for a JPEG, as the fast path
// resizes it; libvips' linear kernel for the rest), a fresh tensor filled pixel by pixel. Real
// YOLOX-Nano on the real photos; nothing is mocked.

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const modelsDir = process.env['MODELS_DIR'] ?? path.resolve(repoRoot, '../shared/models');
const fixtures = path.resolve(repoRoot, '../shared/fixtures/images');
const photos = ['dog.jpg', 'cat-chelsea.png', 'astronaut.png', 'coffee.png'];
const options = { minScore: 0.3, maxDetections: 100 };

/** A detected object's box by its corners. */
const corners = ({ box }: { box: { x: number; y: number; width: number; height: number } }) => ({
  x0: box.x,
  y0: box.y,
  x1: box.x + box.width,
  y1: box.y + box.height,
});

async function plainTensor(bytes: Buffer): Promise<Float32Array> {
  const { data, info } = await sharp(bytes)
    .autoOrient()
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const size = yoloxNano.inputSize;
  const fit = letterboxFit(info.width, info.height, size);
  const scaled =
    (await sharp(bytes).metadata()).format === 'jpeg'
      ? Uint8Array.from(
          interLinearReference(data, info.width, info.height, info.channels, fit.width, fit.height),
          Math.round,
        )
      : await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
          .resize(fit.width, fit.height, { fit: 'fill', kernel: 'linear' })
          .raw()
          .toBuffer();
  const tensor = new Float32Array(3 * size * size).fill(yoloxNano.padValue);
  for (let y = 0; y < fit.height; y++) {
    for (let x = 0; x < fit.width; x++) {
      for (let c = 0; c < 3; c++) {
        // Planes B, G, R: plane c holds channel 2 - c.
        tensor[c * size * size + y * size + x] = scaled[(y * fit.width + x) * info.channels + 2 - c] ?? 0;
      }
    }
  }
  return tensor;
}

let detector: ObjectDetector;
beforeAll(async () => {
  detector = await createObjectDetector({ modelsDir, intraOpNumThreads: 1 });
});
afterAll(() => detector.close());

describe('detection preprocessing', () => {
  it.each(photos)('finds in %s what the plainest preprocessing finds', async (photo) => {
    const bytes = await readFile(path.join(fixtures, photo));
    const fast = await detector.detect(bytes, options);

    const prepared = await detector.stages.prepare(bytes);
    const [output] = await detector.stages.infer({ tensor: await plainTensor(bytes), images: 1 });
    const plain = detector.stages.finish(prepared, output as Float32Array, options);

    expect(fast.objects.length).toBeGreaterThan(0);
    if (!photo.endsWith('.jpg')) {
      expect(fast.objects).toEqual(plain);
      return;
    }
    // Two JPEG decoders: libjpeg-turbo's fast integer IDCT against libvips' exact one, a level or two
    // apart on some pixels. The same objects in the same order, scores within 0.02; boxes
    // overlap by IoU ≥ 0.95 (the bicycle's loose box moves by 11 px of its 529).
    expect(fast.objects.map((object) => object.label)).toEqual(plain.map((object) => object.label));
    fast.objects.forEach((object, i) => {
      const other = plain[i];
      expect(Math.abs(object.score - (other?.score ?? 0)), object.label).toBeLessThan(0.02);
      expect(other && iou(corners(object), corners(other)), object.label).toBeGreaterThanOrEqual(0.95);
    });
  });
});
