import { crc32 } from 'node:zlib';
import { GantryError } from '@gantry/contracts';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { type OpenedImage, openImage } from './open-image.js';
import { encodeBmp } from './testing/encode-bmp.js';

// Every input is made here with sharp (or, for BMP, written from sharp's raw pixels); nothing is mocked.

const W = 40;
const H = 30;
const maxPixels = 10_000;
type Rgb = readonly [number, number, number];
const red: Rgb = [220, 30, 20];
const green: Rgb = [20, 200, 40];
const blue: Rgb = [30, 40, 210];
const white: Rgb = [255, 255, 255];

/** RGBA pixels with one colour per quadrant: red top-left, green top-right, blue bottom-left, white bottom-right. */
function quadrants(width = W, height = H, alpha = 255): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = y < height / 2 ? (x < width / 2 ? red : green) : x < width / 2 ? blue : white;
      data.set([...colour, alpha], (y * width + x) * 4);
    }
  }
  return data;
}

const rawRgba = (data: Buffer, width = W, height = H) => sharp(data, { raw: { width, height, channels: 4 } });
const solid = (colour: Rgb, width = W, height = H) =>
  sharp({ create: { width, height, channels: 3, background: { r: colour[0], g: colour[1], b: colour[2] } } });

async function pixel(opened: OpenedImage, x: number, y: number): Promise<number[]> {
  const { data, info } = await opened.image.clone().raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  const offset = (y * info.width + x) * 3;
  return [...data.subarray(offset, offset + 3)];
}

function expectColour(actual: number[], expected: Rgb, tolerance = 12): void {
  actual.forEach((value, i) =>
    expect(Math.abs(value - (expected[i] ?? -999))).toBeLessThanOrEqual(tolerance),
  );
}

async function expectQuadrants(opened: OpenedImage, tolerance?: number): Promise<void> {
  expectColour(await pixel(opened, 2, 2), red, tolerance);
  expectColour(await pixel(opened, opened.width - 3, 2), green, tolerance);
  expectColour(await pixel(opened, 2, opened.height - 3), blue, tolerance);
  expectColour(await pixel(opened, opened.width - 3, opened.height - 3), white, tolerance);
}

async function expectRejection(promise: Promise<unknown>, code: string): Promise<GantryError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GantryError);
  expect((error as GantryError).code).toBe(code);
  return error as GantryError;
}

/** A PNG whose header declares another size, with a valid CRC, so that only decoding could tell. */
function withPngSize(png: Buffer, width: number, height: number): Buffer {
  const patched = Buffer.from(png);
  patched.writeUInt32BE(width, 16);
  patched.writeUInt32BE(height, 20);
  patched.writeUInt32BE(crc32(patched.subarray(12, 29)), 29);
  return patched;
}

const frames = (first: Rgb, second: Rgb) =>
  sharp(
    Buffer.concat([
      Buffer.alloc(W * H * 3).map((_, i) => first[i % 3] ?? 0),
      Buffer.alloc(W * H * 3).map((_, i) => second[i % 3] ?? 0),
    ]),
    { raw: { width: W, height: H * 2, channels: 3, pageHeight: H } },
  );

describe('openImage', () => {
  it('opens a PNG as 8-bit sRGB with its size and format', async () => {
    const opened = await openImage(await rawRgba(quadrants()).png().toBuffer(), { maxPixels });
    expect(opened).toMatchObject({ width: W, height: H, format: 'png', pages: 1 });
    await expectQuadrants(opened, 0);
  });

  it('turns a JPEG upright by its EXIF orientation and reports the displayed size', async () => {
    // Stored rotated a quarter turn left, tagged 6 (display turned a quarter right): shown as the original.
    const stored = await rawRgba(quadrants())
      .rotate(270)
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect((await sharp(stored).metadata()).width).toBe(H);
    const opened = await openImage(stored, { maxPixels });
    expect(opened).toMatchObject({ width: W, height: H, format: 'jpeg' });
    await expectQuadrants(opened);
  });

  it('flattens transparency onto white', async () => {
    const opened = await openImage(
      await rawRgba(quadrants(W, H, 0))
        .png()
        .toBuffer(),
      { maxPixels },
    );
    expectColour(await pixel(opened, 2, 2), white, 0);
  });

  it('reads grey with alpha, 16-bit and palette PNGs as 8-bit RGB', async () => {
    const greyAlpha = Buffer.alloc(W * H * 2).map((_, i) => (i % 2 === 0 ? 90 : i < W * H ? 0 : 255));
    const greyPng = await sharp(greyAlpha, { raw: { width: W, height: H, channels: 2 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    expect(await sharp(greyPng).metadata()).toMatchObject({ space: 'b-w', channels: 2 });
    const grey = await openImage(greyPng, { maxPixels });
    expectColour(await pixel(grey, 2, 2), white, 0);
    expectColour(await pixel(grey, 2, H - 3), [90, 90, 90], 0);

    const deepPng = await rawRgba(quadrants()).toColourspace('rgb16').png().toBuffer();
    expect((await sharp(deepPng).metadata()).depth).toBe('ushort');
    await expectQuadrants(await openImage(deepPng, { maxPixels }), 1);

    const palettePng = await rawRgba(quadrants()).png({ palette: true }).toBuffer();
    expect((await sharp(palettePng).metadata()).isPalette).toBe(true);
    await expectQuadrants(await openImage(palettePng, { maxPixels }), 2);
  });

  it('converts a CMYK JPEG to sRGB', async () => {
    const cmyk = await solid(red).toColourspace('cmyk').jpeg().toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    expectColour(await pixel(await openImage(cmyk, { maxPixels }), 5, 5), red, 30);
  });

  it('decodes the first frame of animated GIF and WebP, and the first page of a TIFF', async () => {
    const files = {
      gif: await frames(red, blue).gif().toBuffer(),
      webp: await frames(red, blue).webp({ lossless: true }).toBuffer(),
      tiff: await frames(red, blue).tiff().toBuffer(),
    };
    for (const [format, bytes] of Object.entries(files)) {
      const opened = await openImage(bytes, { maxPixels });
      expect(opened).toMatchObject({ format, width: W, height: H, pages: 2 });
      expectColour(await pixel(opened, W - 1, H - 1), red, 8);
    }
  });

  it('opens AVIF', async () => {
    const opened = await openImage(await rawRgba(quadrants()).avif({ quality: 90 }).toBuffer(), {
      maxPixels,
    });
    expect(opened).toMatchObject({ format: 'avif', width: W, height: H });
    await expectQuadrants(opened, 20);
  });

  it('decodes BMP: 24-bit bottom-up, top-down, 8-bit palette and 32-bit with alpha', async () => {
    for (const options of [
      { bitsPerPixel: 24 },
      { bitsPerPixel: 24, topDown: true },
      { bitsPerPixel: 8 },
      { bitsPerPixel: 32 },
    ] as const) {
      const opened = await openImage(encodeBmp(quadrants(), W, H, options), { maxPixels });
      expect(opened).toMatchObject({ format: 'bmp', width: W, height: H, pages: 1 });
      await expectQuadrants(opened, 0);
    }
    const transparent = await openImage(encodeBmp(quadrants(W, H, 0), W, H, { bitsPerPixel: 32 }), {
      maxPixels,
    });
    expectColour(await pixel(transparent, 2, 2), white, 0);
  });

  it('refuses files that are not images, whatever their name says', async () => {
    await expectRejection(
      openImage(Buffer.from('just some text, saved as photo.png\n'), { maxPixels }),
      'MEDIA_UNSUPPORTED',
    );
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
    );
    await expectRejection(openImage(svg, { maxPixels }), 'MEDIA_UNSUPPORTED');
    await expectRejection(
      openImage(Buffer.from('BM is how this line starts, not a bitmap'), { maxPixels }),
      'MEDIA_UNSUPPORTED',
    );
    const heic = Buffer.concat([
      Buffer.from([0, 0, 0, 24]),
      Buffer.from('ftypheic\0\0\0\0mif1heic'),
      Buffer.alloc(64),
    ]);
    const error = await expectRejection(openImage(heic, { maxPixels }), 'MEDIA_UNSUPPORTED');
    expect(error.message).toMatch(/HEIC/);
  });

  it('refuses empty, truncated and corrupt files as MEDIA_CORRUPT', async () => {
    const noisy = await sharp(
      Buffer.alloc(W * H * 3).map((_, i) => (i * 7919) % 251),
      {
        raw: { width: W, height: H, channels: 3 },
      },
    );
    const png = await noisy.clone().png().toBuffer();
    const jpeg = await noisy.clone().jpeg().toBuffer();
    const bmp = encodeBmp(quadrants(), W, H, { bitsPerPixel: 24 });
    const cases = {
      empty: Buffer.alloc(0),
      'truncated png': png.subarray(0, png.length - 100),
      'truncated jpeg': jpeg.subarray(0, Math.floor(jpeg.length * 0.6)),
      'jpeg cut short by 100 bytes': jpeg.subarray(0, jpeg.length - 100),
      'truncated bmp': bmp.subarray(0, bmp.length - 100),
      'png signature then garbage': Buffer.concat([png.subarray(0, 8), Buffer.alloc(200, 7)]),
      'bmp header only': bmp.subarray(0, 20),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const outcome = await openImage(bytes, { maxPixels }).then(
        () => 'opened',
        (error: unknown) => (error instanceof GantryError ? error.code : error),
      );
      expect(outcome, name).toBe('MEDIA_CORRUPT');
    }
  });

  it('refuses an image over maxPixels from its header, before decoding any pixel', async () => {
    // Each file declares a huge size but holds (almost) no pixel data: decoding it would give MEDIA_CORRUPT.
    const png = withPngSize(await solid(red, 8, 8).png().toBuffer(), 50_000, 40_000);
    const error = await expectRejection(openImage(png, { maxPixels }), 'MEDIA_TOO_LARGE');
    expect(error.details).toMatchObject({ width: 50_000, height: 40_000, max_pixels: maxPixels });

    const jpeg = await solid(red, 200, 100).jpeg().toBuffer();
    await expectRejection(openImage(jpeg.subarray(0, 400), { maxPixels }), 'MEDIA_TOO_LARGE');

    const bmp = encodeBmp(quadrants(), W, H, { bitsPerPixel: 24 }).subarray(0, 60);
    bmp.writeInt32LE(-30_000, 22);
    bmp.writeInt32LE(30_000, 18);
    await expectRejection(openImage(bmp, { maxPixels }), 'MEDIA_TOO_LARGE');

    // The limit is inclusive.
    await expect(
      openImage(await solid(red, 100, 100).png().toBuffer(), { maxPixels }),
    ).resolves.toMatchObject({
      width: 100,
    });
  });
});
