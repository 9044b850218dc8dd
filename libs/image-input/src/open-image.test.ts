import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { openImage } from './open-image.js';
import { noisyJpeg, withFlippedBytes, withStrayBytes } from './testing/damaged-jpeg.js';
import { expectEachRejected, expectRejection } from './testing/expect-rejection.js';
import { pngBomb } from './testing/png-bomb.js';
import {
  blue,
  expectColour,
  expectQuadrants,
  pixel,
  quadrants,
  quadrantsStoredTurned,
  red,
  type Rgb,
  white,
} from './testing/quadrant-image.js';

// Every input is made here with sharp or zlib; nothing is mocked.

const W = 40;
const H = 30;
const maxPixels = 10_000;

const rawRgba = (data: Buffer) => sharp(data, { raw: { width: W, height: H, channels: 4 } });
const solid = (colour: Rgb, width = W, height = H) =>
  sharp({ create: { width, height, channels: 3, background: { r: colour[0], g: colour[1], b: colour[2] } } });

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
    const opened = await openImage(await rawRgba(quadrants(W, H)).png().toBuffer(), { maxPixels });
    expect(opened).toMatchObject({ width: W, height: H, format: 'png', pages: 1 });
    await expectQuadrants(opened, 0);
  });

  it('turns a JPEG upright by its EXIF orientation and reports the displayed size', async () => {
    const stored = await quadrantsStoredTurned(W, H);
    expect((await sharp(stored).metadata()).width).toBe(H);
    const opened = await openImage(stored, { maxPixels });
    expect(opened).toMatchObject({ width: W, height: H, format: 'jpeg' });
    await expectQuadrants(opened);
  });

  it('leaves the pixels as stored with orient: false, the orientation still in the metadata', async () => {
    const stored = await quadrantsStoredTurned(W, H);
    const opened = await openImage(stored, { maxPixels, orient: false });
    expect(opened).toMatchObject({ width: H, height: W, metadata: { orientation: 6 } });
    const upright = await openImage(stored, { maxPixels });
    const turned = await upright.image.clone().rotate(270).raw().toBuffer();
    const kept = await opened.image.clone().raw().toBuffer();
    expect(Math.max(...kept.map((value, i) => Math.abs(value - (turned[i] ?? 0))))).toBe(0);
  });

  it('says whether the embedded ICC profile is sRGB itself, another one, or none', async () => {
    const image = () => rawRgba(quadrants(W, H)).removeAlpha();
    const profiles = await Promise.all([
      image().png().toBuffer(),
      image().withIccProfile('srgb').png().toBuffer(),
      image().withIccProfile('p3').png().toBuffer(),
    ]);
    const opened = await Promise.all(profiles.map((bytes) => openImage(bytes, { maxPixels })));
    expect(opened.map((o) => o.metadata.iccProfile)).toEqual([null, 'srgb', 'other']);
  });

  it('flattens transparency onto white', async () => {
    const opened = await openImage(
      await rawRgba(quadrants(W, H, 0))
        .png()
        .toBuffer(),
      { maxPixels },
    );
    expectColour(await pixel(opened.image, 2, 2), white, 0);
  });

  it('reads grey with alpha, 16-bit and palette PNGs as 8-bit RGB', async () => {
    const greyAlpha = Buffer.alloc(W * H * 2).map((_, i) => (i % 2 === 0 ? 90 : i < W * H ? 0 : 255));
    const greyPng = await sharp(greyAlpha, { raw: { width: W, height: H, channels: 2 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    expect(await sharp(greyPng).metadata()).toMatchObject({ space: 'b-w', channels: 2 });
    const grey = await openImage(greyPng, { maxPixels });
    expectColour(await pixel(grey.image, 2, 2), white, 0);
    expectColour(await pixel(grey.image, 2, H - 3), [90, 90, 90], 0);

    const deepPng = await rawRgba(quadrants(W, H)).toColourspace('rgb16').png().toBuffer();
    expect((await sharp(deepPng).metadata()).depth).toBe('ushort');
    await expectQuadrants(await openImage(deepPng, { maxPixels }), 1);

    const palettePng = await rawRgba(quadrants(W, H)).png({ palette: true }).toBuffer();
    expect((await sharp(palettePng).metadata()).isPalette).toBe(true);
    await expectQuadrants(await openImage(palettePng, { maxPixels }), 2);
  });

  it('converts a CMYK JPEG to sRGB', async () => {
    const cmyk = await solid(red).toColourspace('cmyk').jpeg().toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    expectColour(await pixel((await openImage(cmyk, { maxPixels })).image, 5, 5), red, 30);
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
      expectColour(await pixel(opened.image, W - 1, H - 1), red, 8);
    }
  });

  it('opens AVIF', async () => {
    const opened = await openImage(await rawRgba(quadrants(W, H)).avif({ quality: 90 }).toBuffer(), {
      maxPixels,
    });
    expect(opened).toMatchObject({ format: 'avif', width: W, height: H });
    await expectQuadrants(opened, 20);
  });

  it('refuses empty files and files that are not images, whatever their name says', async () => {
    // Empty is "no format", as at the gateway (415 application/x-empty), not a broken image.
    const empty = await expectRejection(openImage(Buffer.alloc(0), { maxPixels }), 'UNSUPPORTED_MEDIA_TYPE');
    expect(empty.message).toMatch(/empty/);
    await expectRejection(
      openImage(Buffer.from('just some text, saved as photo.png\n'), { maxPixels }),
      'UNSUPPORTED_MEDIA_TYPE',
    );
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
    );
    await expectRejection(openImage(svg, { maxPixels }), 'UNSUPPORTED_MEDIA_TYPE');
    const heic = Buffer.concat([
      Buffer.from([0, 0, 0, 24]),
      Buffer.from('ftypheic\0\0\0\0mif1heic'),
      Buffer.alloc(64),
    ]);
    const error = await expectRejection(openImage(heic, { maxPixels }), 'UNSUPPORTED_MEDIA_TYPE');
    expect(error.message).toMatch(/HEIC/);
  });

  it('refuses truncated and corrupt files as MEDIA_CORRUPT', async () => {
    const noisy = sharp(
      Buffer.alloc(W * H * 3).map((_, i) => (i * 7919) % 251),
      { raw: { width: W, height: H, channels: 3 } },
    );
    const png = await noisy.clone().png().toBuffer();
    const jpeg = await noisy.clone().jpeg().toBuffer();
    const garbled = Buffer.from(png);
    garbled.fill(0x55, 60, png.length - 20); // inside IDAT: its CRC and the zlib stream both break
    const cases = {
      'truncated png': png.subarray(0, png.length - 100),
      'png cut inside its header': png.subarray(0, 40),
      'garbled png': garbled,
      'truncated jpeg': jpeg.subarray(0, Math.floor(jpeg.length * 0.6)),
      'jpeg cut short by 100 bytes': jpeg.subarray(0, jpeg.length - 100),
      'png signature then garbage': Buffer.concat([png.subarray(0, 8), Buffer.alloc(200, 7)]),
    };
    await expectEachRejected(cases, (bytes) => openImage(bytes, { maxPixels }), 'MEDIA_CORRUPT');
  });

  it("refuses a JPEG damaged mid-file (not truncated) with the decoder's words, which libjpeg only warns about", async () => {
    for (const progressive of [false, true]) {
      const damaged = withFlippedBytes(await noisyJpeg(progressive));
      const error = await expectRejection(openImage(damaged, { maxPixels: 100_000 }), 'MEDIA_CORRUPT');
      expect(error.details).toMatchObject({
        format: 'jpeg',
        decoder: expect.stringMatching(/Corrupt JPEG data/),
      });
    }
  });

  it('decodes JPEGs whose only fault is stray bytes between segments to the very pixels of the file without them', async () => {
    const baseline = await noisyJpeg();
    const progressive = await noisyJpeg(true);
    for (const [name, clean, marker] of [
      ['before the end of a progressive file', progressive, 0xd9],
      ['before a Huffman table', baseline, 0xc4],
      ['before the scan', baseline, 0xda],
    ] as const) {
      const opened = await openImage(withStrayBytes(clean, marker), { maxPixels: 100_000 });
      const pixels = await opened.image.raw().toBuffer();
      expect(pixels.equals(await sharp(clean).raw().toBuffer()), name).toBe(true);
    }
  });

  it('refuses an image over maxPixels from its header, before decoding any pixel', async () => {
    // Each file declares a huge size but holds (almost) no pixel data: decoding it would give MEDIA_CORRUPT.
    const png = withPngSize(await solid(red, 8, 8).png().toBuffer(), 50_000, 40_000);
    const error = await expectRejection(openImage(png, { maxPixels }), 'MEDIA_TOO_LARGE');
    expect(error.details).toEqual({
      page: 1,
      width: 50_000,
      height: 40_000,
      pixels: 2_000_000_000,
      max_pixels: maxPixels,
    });

    const jpeg = await solid(red, 200, 100).jpeg().toBuffer();
    await expectRejection(openImage(jpeg.subarray(0, 400), { maxPixels }), 'MEDIA_TOO_LARGE');

    // The limit is inclusive.
    await expect(
      openImage(await solid(red, 100, 100).png().toBuffer(), { maxPixels }),
    ).resolves.toMatchObject({ width: 100 });
  });

  it('refuses a real PNG bomb quickly and in bounded memory', async () => {
    const bomb = await pngBomb(50_000, 50_000); // 2.5 G pixels in ~300 kB
    expect(bomb.length).toBeLessThan(1_000_000);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const error = await expectRejection(openImage(bomb, { maxPixels: 50_000_000 }), 'MEDIA_TOO_LARGE');
    expect(error.details).toMatchObject({ width: 50_000, height: 50_000, max_pixels: 50_000_000 });
    expect(performance.now() - started).toBeLessThan(1_000);
    // Decoding even one row band of it as RGB would take hundreds of MB.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
  });
});
