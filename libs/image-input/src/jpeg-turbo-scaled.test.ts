import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { PageScale } from './image-file.js';
import { jpegTurboScaled } from './jpeg-turbo-scaled.js';
import { displayedSize, readJpegHeader } from './read-jpeg-header.js';
import { resizeBilinearRgb } from './resize-bilinear.js';
import { isSrgbProfile } from './srgb-profile.js';

// Every JPEG is made here with sharp, and every decode checked against libvips'; nothing is mocked.

const W = 96;
const H = 64;

/** A smooth photo-like picture: gradients in each channel, a disc in the middle. */
function picture(): Buffer {
  const data = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const inside = (x - W / 2) ** 2 + (y - H / 2) ** 2 < (H / 3) ** 2;
      data.set(inside ? [240, 200, 40] : [(x * 255) / W, (y * 255) / H, 120], (y * W + x) * 3);
    }
  }
  return data;
}

const image = () => sharp(picture(), { raw: { width: W, height: H, channels: 3 } });
const byRatio = (ratio: number, kernel: PageScale['kernel'] = 'linear'): PageScale => ({
  size: (width, height) => ({ width: Math.round(width * ratio), height: Math.round(height * ratio) }),
  kernel,
});

async function turbo(jpeg: Buffer, scale: PageScale = byRatio(0.6)) {
  const header = readJpegHeader(jpeg);
  if (!header) throw new Error('the test JPEG has no plain header');
  const shown = displayedSize(header);
  const wanted = scale.size(shown.width, shown.height);
  return jpegTurboScaled(jpeg, header, wanted, scale.kernel, isSrgbProfile(header.icc));
}

describe('jpegTurboScaled', () => {
  it('decodes a plain JPEG as libvips does, resized bilinearly to the size asked for', async () => {
    const jpeg = await image().jpeg({ quality: 90 }).toBuffer();
    const page = await turbo(jpeg);
    expect(page).toMatchObject({ channels: 3, width: W, height: H, scaledWidth: 58, scaledHeight: 38 });
    const libvips = await sharp(jpeg).raw().toBuffer();
    const expected = resizeBilinearRgb(libvips, W, H, 58, 38);
    // Two JPEG decoders: libjpeg-turbo's fast integer IDCT rounds differently from libvips' exact one.
    const differences = [...expected].map((value, i) => Math.abs(value - (page?.pixels[i] ?? -999)));
    expect(Math.max(...differences)).toBeLessThanOrEqual(8);
    expect(differences.reduce((sum, value) => sum + value, 0) / differences.length).toBeLessThan(1);
  });

  it('decodes grey, progressive and sRGB-tagged JPEGs, and enlarges', async () => {
    const grey = await turbo(await image().greyscale().jpeg().toBuffer());
    const [r, g, b] = grey?.pixels ?? [];
    expect(grey?.channels).toBe(3);
    expect(r).toBe(g);
    expect(g).toBe(b);
    expect(await turbo(await image().jpeg({ progressive: true }).toBuffer())).not.toBeNull();
    expect(await turbo(await image().withIccProfile('srgb').jpeg().toBuffer())).not.toBeNull();
    expect(await turbo(await image().jpeg().toBuffer(), byRatio(1.5))).toMatchObject({ scaledWidth: 144 });
  });

  it('turns the picture upright by its EXIF orientation', async () => {
    const turned = await image()
      .rotate(270)
      .jpeg({ quality: 100 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const page = await turbo(turned);
    expect(page).toMatchObject({ width: W, height: H, scaledWidth: 58, scaledHeight: 38 });
    const upright = await turbo(await image().jpeg({ quality: 100 }).toBuffer());
    const differences = [...(upright?.pixels ?? [])].map((value, i) =>
      Math.abs(value - (page?.pixels[i] ?? -999)),
    );
    // The same picture, compressed in blocks that were laid out another way.
    expect(differences.reduce((sum, value) => sum + value, 0) / differences.length).toBeLessThan(1.5);
  });

  it('leaves to libvips what needs more than a copy of the pixels, or could shrink while read', async () => {
    const cases = {
      cmyk: await image().toColourspace('cmyk').jpeg().toBuffer(),
      'another profile': await image().withIccProfile('p3').jpeg().toBuffer(),
    };
    for (const [name, jpeg] of Object.entries(cases)) {
      expect({ [name]: await turbo(jpeg) }).toEqual({ [name]: null });
    }
    const plain = await image().jpeg().toBuffer();
    expect(await turbo(plain, byRatio(0.5))).toBeNull();
    expect(await turbo(plain, byRatio(0.6, 'cubic'))).toBeNull();
  });

  it('leaves to libvips a file libjpeg-turbo refuses or warns about', async () => {
    const jpeg = await image().jpeg().toBuffer();
    expect(await turbo(jpeg.subarray(0, Math.floor(jpeg.length * 0.7)))).toBeNull();
  });
});
