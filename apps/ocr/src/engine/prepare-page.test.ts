// Real decoding (@gantry/image-input) on the shared fixtures and on images generated here; no OCR model involved.
import { openImagePages } from '@gantry/image-input';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ImageVariant, imageVariants } from '../testing/image-variants.js';
import { readOcrFixture } from '../testing/ocr-fixtures.js';
import { backgroundSpread } from './background-spread.js';
import type { GreyImage } from './grey-image.js';
import { inkStatistics } from './ink-statistics.js';
import { preparePage, unevenLightingSpread } from './prepare-page.js';
import { defaultPreprocessing, type Preprocessing, speckledShare } from './preprocessing.js';

const limits = { maxPixels: 50_000_000, maxPages: 10 };

async function prepare(bytes: Buffer, page = 0, steps = defaultPreprocessing) {
  return preparePage(await (await openImagePages(bytes, limits)).greyPage(page), steps);
}

// Decoding alone: the measured steps (which may differ by a lossy codec's grain) stay off.
const decodeOnly: Preprocessing = { ...defaultPreprocessing, despeckle: 'off', upscale: 'off' };

/** The page with `share` of its pixels turned to ink, the same ones every run (a small LCG). */
async function speckled(bytes: Buffer, share: number): Promise<Buffer> {
  const { data, info } = await sharp(bytes).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  let state = 1;
  for (let i = 0; i < data.length; i++) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    if (state / 4_294_967_296 < share) data[i] = 0;
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
    .png()
    .toBuffer();
}

const meanAbsoluteDifference = (a: GreyImage, b: GreyImage): number => {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs((a.data[i] ?? 0) - (b.data[i] ?? 0));
  return sum / a.data.length;
};

/** The grey page under light that falls from `1` on the left to `dark` on the right. */
async function shaded(bytes: Buffer, dark: number): Promise<Buffer> {
  const { data, info } = await sharp(bytes).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const out = Buffer.alloc(data.length);
  data.forEach((level, i) =>
    out.writeUInt8(Math.round(level * (1 - (1 - dark) * ((i % info.width) / info.width))), i),
  );
  return sharp(out, { raw: { width: info.width, height: info.height, channels: 1 } })
    .png()
    .toBuffer();
}

describe('the contrast rule (CLAHE only for uneven lighting)', () => {
  it.each([
    ['invoice-clean.png', false],
    ['invoice-noisy.jpg', false],
    ['hard-small.png', false],
    ['page-a4.png', false],
    ['hard-photo.jpg', true],
  ] as const)('%s → enhanced: %s', async (file, enhanced) => {
    expect((await prepare(readOcrFixture(file))).enhanced).toBe(enhanced);
  });

  it('decides by the lighting, not by the fixture: a shadow across a clean scan turns it on', async () => {
    const clean = readOcrFixture('invoice-clean.png');
    expect((await prepare(await shaded(clean, 0.5))).enhanced).toBe(true);
    // Evenly dimmed paper has low contrast but no shadow: tesseract's own thresholding copes.
    const dimmed = await sharp(clean).linear(0.6, 40).png().toBuffer();
    expect((await prepare(dimmed)).enhanced).toBe(false);
  });

  it('reports the lighting it measured, for the threshold rule too, even with CLAHE switched off', async () => {
    const clean = readOcrFixture('invoice-clean.png');
    const steps = { ...defaultPreprocessing, contrast: 'off', threshold: 'auto' } as const;
    const photo = await prepare(await shaded(clean, 0.5), 0, steps);
    expect({ enhanced: photo.enhanced, unevenlyLit: photo.unevenlyLit }).toEqual({
      enhanced: false,
      unevenlyLit: true,
    });
    expect((await prepare(clean, 0, steps)).unevenlyLit).toBe(false);
  });

  it('measures the spread in grey levels', () => {
    const width = 256;
    const height = 64;
    const even = { width, height, data: Buffer.alloc(width * height, 200) };
    const ramp = {
      width,
      height,
      data: Buffer.from(Array.from({ length: width * height }, (_, i) => i % width)),
    };
    expect(backgroundSpread(even)).toBe(0);
    expect(backgroundSpread(ramp)).toBeGreaterThan(unevenLightingSpread * 4);
  });
});

describe('the despeckle and upscale rules (measured ink)', () => {
  it.each([
    ['invoice-clean.png', false, 1],
    ['page-a4.png', false, 1],
    ['invoice-noisy.jpg', false, 1],
    ['hard-small.png', false, 1],
  ] as const)('%s → despeckled: %s, scale %s', async (file, despeckled, scale) => {
    const page = await prepare(readOcrFixture(file));
    expect({ despeckled: page.despeckled, scale: page.scale }).toEqual({ despeckled, scale });
  });

  it('upscales by the measured stroke width where asked to decide', async () => {
    const auto = { ...defaultPreprocessing, upscale: 'auto' } as const;
    // 8 pt at 150 dpi: 2 px strokes, read at twice the pixels; 300 dpi text stays as it is.
    expect((await prepare(readOcrFixture('hard-small.png'), 0, auto)).scale).toBe(2);
    expect((await prepare(readOcrFixture('invoice-clean.png'), 0, auto)).scale).toBe(1);
  });

  it('removes specks from a speckled page, not its strokes', async () => {
    const clean = readOcrFixture('invoice-clean.png');
    const page = await prepare(await speckled(clean, 0.005));
    expect(page.despeckled).toBe(true);
    const before = inkStatistics(await prepare(clean));
    const after = inkStatistics(page);
    expect(after.speckShare).toBeLessThan(speckledShare / 4);
    expect(after.strokeWidth).toBeGreaterThanOrEqual(before.strokeWidth - 1);
  });

  it('follows the switches', async () => {
    const bytes = readOcrFixture('invoice-clean.png');
    const page = await prepare(bytes, 0, { ...defaultPreprocessing, despeckle: 'on', upscale: 'on' });
    expect({ despeckled: page.despeckled, scale: page.scale }).toEqual({ despeckled: true, scale: 2 });
    const plain = await prepare(bytes);
    expect([page.width, page.height]).toEqual([plain.width * 2, plain.height * 2]);
  });

  it('measures stroke width and specks', () => {
    const width = 100;
    const height = 20;
    const data = Buffer.alloc(width * height, 255);
    // Vertical bars 4 px wide, and one lone ink pixel.
    for (let y = 2; y < 18; y++) for (let x = 10; x < 90; x++) if (x % 10 < 4) data[y * width + x] = 0;
    data[width + 95] = 0;
    const stats = inkStatistics({ width, height, data });
    expect(stats.strokeWidth).toBe(4);
    expect(stats.speckShare).toBeGreaterThan(0);
    expect(stats.speckShare).toBeLessThan(0.01);
  });
});

describe('every format becomes the same upright 8-bit grey page', () => {
  let base: GreyImage;
  let variants: ImageVariant[];
  beforeAll(async () => {
    const bytes = readOcrFixture('hard-small.png');
    base = await prepare(bytes, 0, decodeOnly);
    variants = await imageVariants(bytes);
  });

  it('covers each variant', async () => {
    for (const variant of variants) {
      const opened = await openImagePages(variant.bytes, { ...limits, framesArePages: true });
      expect(opened.count, variant.name).toBe(variant.pages);
      const page = await preparePage(await opened.greyPage(0), decodeOnly);
      expect({ name: variant.name, width: page.width, height: page.height, bytes: page.data.length }).toEqual(
        {
          name: variant.name,
          width: base.width,
          height: base.height,
          bytes: base.width * base.height,
        },
      );
      // Lossy codecs and colour conversions move levels a little; a wrong orientation, lost
      // alpha or a misread channel order moves them by far more.
      expect(meanAbsoluteDifference(page, base), variant.name).toBeLessThan(6);
    }
  });

  it('gives the second page of a multi-page TIFF', async () => {
    const tiff = variants.find((variant) => variant.pages === 2);
    if (!tiff) throw new Error('no multi-page variant');
    const second = await prepare(tiff.bytes, 1, decodeOnly);
    expect(second.data.every((level) => level === 255)).toBe(true);
  });
});
