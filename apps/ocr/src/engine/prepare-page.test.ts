// Real decoding (@gantry/image-input) on the shared fixtures and on images generated here; no OCR model involved.
import { openImagePages } from '@gantry/image-input';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ImageVariant, imageVariants } from '../testing/image-variants.js';
import { readOcrFixture } from '../testing/ocr-fixtures.js';
import { backgroundSpread } from './background-spread.js';
import type { GreyImage } from './grey-image.js';
import { preparePage, unevenLightingSpread } from './prepare-page.js';

const limits = { maxPixels: 50_000_000, maxPages: 10 };

async function prepare(bytes: Buffer, page = 0) {
  return preparePage((await (await openImagePages(bytes, limits)).page(page)).image);
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

describe('every format becomes the same upright 8-bit grey page', () => {
  let base: GreyImage;
  let variants: ImageVariant[];
  beforeAll(async () => {
    const bytes = readOcrFixture('hard-small.png');
    base = await prepare(bytes);
    variants = await imageVariants(bytes);
  });

  it('covers each variant', async () => {
    for (const variant of variants) {
      const opened = await openImagePages(variant.bytes, { ...limits, framesArePages: true });
      expect(opened.count, variant.name).toBe(variant.pages);
      const page = await preparePage((await opened.page(0)).image);
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
    const second = await prepare(tiff.bytes, 1);
    expect(second.data.every((level) => level === 255)).toBe(true);
  });
});
