import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectDetector, type ObjectDetector } from './create-object-detector.js';
import { letterboxFit } from './letterbox.js';
import { yoloxNano } from './yolox-nano.js';

// The detector's fast preprocessing (one libvips pass straight to the letterbox size, an sRGB
// profile not applied, the fill into a reused buffer) against the plainest one: a full-size decode
// with every colour transform, a second pipeline to resize, a fresh tensor filled pixel by pixel.
// Real YOLOX-Nano on the real photos; nothing is mocked.

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const modelsDir = process.env['MODELS_DIR'] ?? path.resolve(repoRoot, '../shared/models');
const fixtures = path.resolve(repoRoot, '../shared/fixtures/images');
const photos = ['dog.jpg', 'cat-chelsea.png', 'astronaut.png', 'coffee.png'];
const options = { minScore: 0.3, maxDetections: 100 };

async function plainTensor(bytes: Buffer): Promise<Float32Array> {
  const { data, info } = await sharp(bytes)
    .autoOrient()
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const size = yoloxNano.inputSize;
  const fit = letterboxFit(info.width, info.height, size);
  const scaled = await sharp(data, {
    raw: { width: info.width, height: info.height, channels: info.channels },
  })
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
  it.each(photos)('finds in %s exactly what the plainest preprocessing finds', async (photo) => {
    const bytes = await readFile(path.join(fixtures, photo));
    const fast = await detector.detect(bytes, options);

    const prepared = await detector.stages.prepare(bytes);
    const [output] = await detector.stages.infer({ tensor: await plainTensor(bytes), images: 1 });
    const plain = detector.stages.finish(prepared, output as Float32Array, options);

    expect(fast.objects.length).toBeGreaterThan(0);
    expect(fast.objects).toEqual(plain);
  });
});
