import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EnhanceStep } from '@gantry/contracts';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createImageEnhancer, type EnhanceOptions } from './image-enhancer.js';

// Real sharp/libvips on images made here or taken from the shared fixtures: nothing is mocked.
const fixtures = path.resolve(import.meta.dirname, '../../../../../shared/fixtures/images');
const enhancer = createImageEnhancer({ maxPixels: 40_000_000 });
const defaults: EnhanceOptions = {
  format: 'png',
  quality: 82,
  white_balance: true,
  exposure: true,
  denoise: true,
  sharpen: true,
  upscale_to: 0,
};
const step = (steps: EnhanceStep[], name: EnhanceStep['name']) => {
  const found = steps.find((s) => s.name === name);
  if (!found) throw new Error(`no ${name} step in ${JSON.stringify(steps)}`);
  return found;
};
const firstPixel = async (bytes: Buffer) => {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  return { pixel: [...data.subarray(0, info.channels)], channels: info.channels };
};
const plain = { ...defaults, white_balance: false, exposure: false, denoise: false, sharpen: false };

describe('createImageEnhancer (sharp)', () => {
  it('turns CMYK, 16-bit and grey+alpha inputs into correct 8-bit sRGB', async () => {
    const red = sharp({
      create: { width: 64, height: 48, channels: 3, background: { r: 220, g: 30, b: 40 } },
    });
    const cmyk = await red.clone().toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const fromCmyk = await enhancer.enhance(cmyk, plain);
    const [r = 0, g = 0, b = 0] = (await firstPixel(fromCmyk.bytes)).pixel;
    expect(r).toBeGreaterThan(180);
    expect(g).toBeLessThan(80);
    expect(b).toBeLessThan(80);
    expect(step(fromCmyk.steps, 'colour_space')).toMatchObject({
      applied: true,
      detail: expect.stringMatching(/^cmyk/),
    });

    const sixteen = await red.clone().toColourspace('rgb16').png().toBuffer();
    expect((await sharp(sixteen).metadata()).depth).toBe('ushort');
    const fromSixteen = await enhancer.enhance(sixteen, plain);
    expect((await sharp(fromSixteen.bytes).metadata()).depth).toBe('uchar');
    const rgb = (await firstPixel(fromSixteen.bytes)).pixel;
    expect(
      Math.abs((rgb[0] ?? 0) - 220) + Math.abs((rgb[1] ?? 0) - 30) + Math.abs((rgb[2] ?? 0) - 40),
    ).toBeLessThanOrEqual(3);

    const greyAlpha = await sharp(
      Buffer.alloc(32 * 32 * 2).map((_, i) => (i % 2 === 0 ? 100 : 128)),
      {
        raw: { width: 32, height: 32, channels: 2 },
      },
    )
      .toColourspace('b-w')
      .png()
      .toBuffer();
    expect((await sharp(greyAlpha).metadata()).channels).toBe(2);
    const fromGrey = await firstPixel((await enhancer.enhance(greyAlpha, plain)).bytes);
    expect(fromGrey).toEqual({ pixel: [100, 100, 100, 128], channels: 4 });
  });

  it('brightens a dark photo, removes a colour cast and reports what each step moved', async () => {
    const dog = await readFile(path.join(fixtures, 'dog.jpg'));
    const dark = await sharp(dog)
      .linear([0.35 * 1.25, 0.35, 0.35 * 0.75], [0, 0, 0])
      .jpeg()
      .toBuffer();
    const result = await enhancer.enhance(dark, { ...defaults, format: 'jpeg' });
    expect(result.after.brightness).toBeGreaterThan(result.before.brightness + 0.1);
    expect(result.after.colour_cast).toBeLessThan(result.before.colour_cast * 0.6);
    const balance = step(result.steps, 'white_balance');
    expect(balance.applied).toBe(true);
    const cast = balance.changed['colour_cast'] ?? expect.unreachable('white balance changed no colour cast');
    expect(cast.after).toBeLessThan(cast.before);
    const exposure = step(result.steps, 'exposure');
    expect(exposure).toMatchObject({ applied: true, detail: expect.stringMatching(/levels|gamma/) });
    expect(result.steps.map((s) => s.name)).toEqual([
      'auto_orient',
      'colour_space',
      'white_balance',
      'exposure',
      'denoise',
      'upscale',
      'sharpen',
      'encode',
    ]);
    expect((await sharp(result.bytes).metadata()).format).toBe('jpeg');
  });

  it('leaves a good photo alone but for the encoding', async () => {
    const dog = await readFile(path.join(fixtures, 'dog.jpg'));
    const result = await enhancer.enhance(dog, defaults);
    const applied = result.steps.filter((s) => s.applied).map((s) => s.name);
    // colour_space: dog.jpg carries an sRGB ICC profile, applied while decoding.
    expect(applied).toEqual(['colour_space', 'encode']);
    expect(result.after).toEqual(result.before);
    expect(step(result.steps, 'white_balance').detail).toMatch(/no colour cast/);
  });

  it('upscales a small image with Lanczos and sharpens it', async () => {
    const dog = await sharp(await readFile(path.join(fixtures, 'dog.jpg')))
      .resize(192)
      .png()
      .toBuffer();
    const result = await enhancer.enhance(dog, { ...defaults, upscale_to: 768 });
    expect(result.after).toMatchObject({ width: 768, height: 576 });
    expect(step(result.steps, 'upscale')).toMatchObject({ applied: true, detail: 'Lanczos-3 ×4.00' });
    expect(step(result.steps, 'sharpen').applied).toBe(true);
  });

  it('writes PNG losslessly, whatever quality says', async () => {
    // Every value 0–255 in each channel: a palette of 256 colours cannot hold them.
    const pixels = Buffer.alloc(64 * 48 * 3).map((_, i) => (i * 37 + (i >> 7)) % 256);
    const png = await sharp(pixels, { raw: { width: 64, height: 48, channels: 3 } })
      .png()
      .toBuffer();
    const result = await enhancer.enhance(png, { ...plain, quality: 10 });
    const { data, info } = await sharp(result.bytes).raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 64, height: 48, channels: 3 });
    expect(data.equals(pixels)).toBe(true);
    expect((await sharp(result.bytes).metadata()).isPalette).toBe(false);
  });

  it('turns by the EXIF orientation, converts to each format and strips every metadata block', async () => {
    const photo = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#808080' } })
      .withExif({ IFD0: { Make: 'Gantry', Model: 'Test' } })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    for (const format of ['webp', 'avif', 'jpeg', 'png'] as const) {
      const result = await enhancer.enhance(photo, { ...plain, format, quality: 60 });
      const meta = await sharp(result.bytes).metadata();
      expect(meta.format === 'heif' ? 'avif' : meta.format, format).toBe(format);
      expect({ width: meta.width, height: meta.height }).toEqual({ width: 40, height: 60 });
      expect(meta.exif, format).toBeUndefined();
      expect(meta.orientation, format).toBeUndefined();
      expect(step(result.steps, 'auto_orient')).toMatchObject({
        applied: true,
        detail: expect.stringMatching(/orientation 6/),
      });
    }
  });
});
