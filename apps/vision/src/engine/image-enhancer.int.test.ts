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
      detail: expect.stringMatching(/^decoded from cmyk, 8-bit, 4 channels.* to sRGB, 8-bit, 3 channels$/),
      changed: { channels: { before: 4, after: 3 } },
    });
    expect(step(fromCmyk.steps, 'colour_space').duration_ms).toBeGreaterThan(0);

    const sixteen = await red.clone().toColourspace('rgb16').png().toBuffer();
    expect((await sharp(sixteen).metadata()).depth).toBe('ushort');
    const fromSixteen = await enhancer.enhance(sixteen, plain);
    expect(step(fromSixteen.steps, 'colour_space')).toMatchObject({
      applied: true,
      changed: { bits_per_sample: { before: 16, after: 8 } },
    });
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
    const greyResult = await enhancer.enhance(greyAlpha, plain);
    expect(await firstPixel(greyResult.bytes)).toEqual({ pixel: [100, 100, 100, 128], channels: 4 });
    expect(step(greyResult.steps, 'colour_space').changed).toEqual({ channels: { before: 2, after: 4 } });
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
      'colour_space',
      'auto_orient',
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
    expect(applied).toEqual(['encode']);
    expect(result.after).toEqual(result.before);
    // dog.jpg carries an ICC profile that is sRGB itself: its pixels need no transform.
    expect(step(result.steps, 'colour_space')).toMatchObject({
      detail: 'decoded: 8-bit sRGB already (its ICC profile is sRGB: not applied)',
      changed: {},
    });
    expect(step(result.steps, 'auto_orient')).toMatchObject({ duration_ms: 0, changed: {} });
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
        detail: 'EXIF orientation 6: turned 90° clockwise, width and height swapped',
        changed: {
          orientation: { before: 6, after: 1 },
          width: { before: 60, after: 40 },
          height: { before: 40, after: 60 },
        },
      });
      expect(step(result.steps, 'auto_orient').duration_ms).toBeGreaterThan(0);
    }
  });

  it('turns each EXIF orientation as libvips autoOrient does, pixel for pixel', async () => {
    const stored = { width: 12, height: 8, channels: 3 } as const;
    const pixels = Buffer.alloc(12 * 8 * 3).map((_, i) => (i * 37) % 256);
    for (let orientation = 1; orientation <= 8; orientation++) {
      // LZW TIFF: lossless, and it carries the orientation tag.
      const tiff = await sharp(pixels, { raw: stored })
        .withMetadata({ orientation })
        .tiff({ compression: 'lzw' })
        .toBuffer();
      const result = await enhancer.enhance(tiff, plain);
      const expected = await sharp(tiff).autoOrient().raw().toBuffer({ resolveWithObject: true });
      const actual = await sharp(result.bytes).raw().toBuffer({ resolveWithObject: true });
      expect(actual.info, `orientation ${orientation}`).toMatchObject({
        width: expected.info.width,
        height: expected.info.height,
      });
      expect(actual.data.equals(expected.data), `orientation ${orientation}`).toBe(true);
      const orient = step(result.steps, 'auto_orient');
      expect(orient.applied, `orientation ${orientation}`).toBe(orientation > 1);
      expect(Object.keys(orient.changed).sort(), `orientation ${orientation}`).toEqual(
        orientation === 1 ? [] : orientation < 5 ? ['orientation'] : ['height', 'orientation', 'width'],
      );
    }
  });

  it('denoises a noisy photo with the median filter, and says how much noise went', async () => {
    const { data, info } = await sharp(await readFile(path.join(fixtures, 'dog.jpg')))
      .raw()
      .toBuffer({ resolveWithObject: true });
    // Uniform noise of ±30 levels (sigma ≈ 17) from a fixed-seed generator, kept exact by PNG.
    let seed = 7;
    const noisy = data.map((value) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return Math.min(255, Math.max(0, value + Math.round((seed / 2 ** 31) * 60 - 30)));
    });
    const png = await sharp(noisy, { raw: { width: info.width, height: info.height, channels: 3 } })
      .png()
      .toBuffer();
    const result = await enhancer.enhance(png, { ...plain, denoise: true });
    const denoise = step(result.steps, 'denoise');
    expect(denoise).toMatchObject({ applied: true, detail: 'median 3×3' });
    const noise = denoise.changed['noise'] ?? expect.unreachable('denoise changed no noise');
    expect(noise.before).toBeGreaterThan(6);
    expect(noise.after).toBeLessThan(noise.before / 2);
    expect(result.after.noise).toBe(noise.after);
    expect(denoise.duration_ms).toBeGreaterThan(0);
  });

  it('stretches the levels of a flat photo, raising its contrast', async () => {
    const flat = await sharp(await readFile(path.join(fixtures, 'dog.jpg')))
      .linear(0.35, 0.33 * 255)
      .png()
      .toBuffer();
    const result = await enhancer.enhance(flat, { ...plain, exposure: true });
    const exposure = step(result.steps, 'exposure');
    expect(exposure).toMatchObject({ applied: true, detail: 'levels stretched (1st–99th percentile)' });
    const contrast = exposure.changed['contrast'] ?? expect.unreachable('exposure changed no contrast');
    expect(contrast.before).toBeLessThan(0.17);
    expect(contrast.after).toBeGreaterThan(contrast.before * 2);
    expect(result.after.contrast).toBe(contrast.after);
  });

  it('encodes smaller at a lower quality, and reports the bytes it wrote', async () => {
    const dog = await readFile(path.join(fixtures, 'dog.jpg'));
    for (const format of ['jpeg', 'webp', 'avif'] as const) {
      const [low, high] = await Promise.all(
        [20, 90].map((quality) => enhancer.enhance(dog, { ...plain, format, quality })),
      );
      if (!low || !high) throw new Error('two encodings');
      expect(low.bytes.length * 1.5, format).toBeLessThan(high.bytes.length);
      expect(step(low.steps, 'encode'), format).toMatchObject({
        detail: `${format} quality 20, metadata stripped`,
        changed: { bytes: { before: dog.length, after: low.bytes.length } },
      });
    }
  });

  it('strips ICC and XMP as well as EXIF, converting a Display P3 photo to sRGB first', async () => {
    const xmp =
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
      '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:format="image/jpeg"/></rdf:RDF></x:xmpmeta>';
    const photo = await sharp(await readFile(path.join(fixtures, 'dog.jpg')))
      .withIccProfile('p3')
      .withXmp(xmp)
      .withExif({ IFD0: { Make: 'Gantry' } })
      .jpeg()
      .toBuffer();
    const source = await sharp(photo).metadata();
    expect([source.icc, source.xmp, source.exif].map((block) => block !== undefined)).toEqual([
      true,
      true,
      true,
    ]);
    for (const format of ['webp', 'avif', 'jpeg', 'png'] as const) {
      const result = await enhancer.enhance(photo, { ...plain, format });
      const meta = await sharp(result.bytes).metadata();
      expect({ icc: meta.icc, xmp: meta.xmp, exif: meta.exif }, format).toEqual({
        icc: undefined,
        xmp: undefined,
        exif: undefined,
      });
      expect(step(result.steps, 'colour_space'), format).toMatchObject({
        applied: true,
        detail: 'decoded from srgb, 8-bit, 3 channels, through its ICC profile to sRGB, 8-bit, 3 channels',
      });
    }
  });
});
