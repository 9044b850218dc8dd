import { describe, expect, it } from 'vitest';
import { readBmpHeader } from './decode-bmp.js';
import { openImage } from './open-image.js';
import { encodeBmp } from './testing/encode-bmp.js';
import { expectEachRejected, expectRejection } from './testing/expect-rejection.js';
import { expectColour, expectQuadrants, pixel, quadrants, white } from './testing/quadrant-image.js';

// BMP files written here byte by byte (sharp cannot write BMP), decoded by libnsbmp through openImage.

const W = 40;
const H = 30;
const maxPixels = 10_000;

/** Pixels whose colour changes at almost every step, so that RLE8 has to use absolute (literal) runs. */
function speckled(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const level = ((i * 37) % 11) * 20;
    data.set([level, 255 - level, (level * 3) % 256, 255], i * 4);
  }
  return data;
}

async function rgbOf(bytes: Buffer): Promise<Buffer> {
  return (await openImage(bytes, { maxPixels })).image.clone().raw().toBuffer();
}

const dropAlpha = (rgba: Buffer): Buffer => Buffer.from(rgba.filter((_, i) => i % 4 !== 3));

describe('BMP decoding', () => {
  it('decodes 24-bit bottom-up, top-down, 8-bit palette and 32-bit with alpha', async () => {
    for (const options of [
      { bitsPerPixel: 24 },
      { bitsPerPixel: 24, topDown: true },
      { bitsPerPixel: 8 },
      { bitsPerPixel: 8, topDown: true },
      { bitsPerPixel: 32 },
    ] as const) {
      const opened = await openImage(encodeBmp(quadrants(W, H), W, H, options), { maxPixels });
      expect(opened).toMatchObject({ format: 'bmp', width: W, height: H, pages: 1 });
      await expectQuadrants(opened, 0);
    }
  });

  it('puts every RLE8 pixel in its place, encoded and absolute runs alike', async () => {
    // bmp-ts, used by the OCR worker before this library, wrote RLE pixels at wrong offsets.
    // An odd width makes the absolute runs odd, which RLE8 pads to a 16-bit boundary.
    for (const [width, rgba] of [
      [W, quadrants(W, H)],
      [W + 1, speckled(W + 1, H)],
    ] as const) {
      const rle = encodeBmp(rgba, width, H, { bitsPerPixel: 8, rle: true });
      expect(rle.readUInt32LE(30)).toBe(1);
      expect(await rgbOf(rle)).toEqual(dropAlpha(rgba));
    }
  });

  it('reads RLE8 however its last row ends: end-of-line, end-of-bitmap or both', async () => {
    // encodeBmp writes what ImageMagick writes: an end-of-line after every row, then the end-of-bitmap.
    const rle = encodeBmp(quadrants(W, H), W, H, { bitsPerPixel: 8, rle: true });
    expect([...rle.subarray(-4)]).toEqual([0, 0, 0, 1]);
    const withoutLastEol = Buffer.concat([rle.subarray(0, -4), Buffer.from([0, 1])]);
    for (const bytes of [rle, withoutLastEol, rle.subarray(0, -2)]) {
      const opened = await openImage(bytes, { maxPixels });
      expect(opened).toMatchObject({ width: W, height: H });
      await expectQuadrants(opened, 0);
    }
  });

  it('flattens 32-bit alpha onto white, but shows a file whose alpha is all zero as opaque', async () => {
    const halfClear = quadrants(W, H);
    for (let i = 0; i < (W * H) / 2; i++) halfClear[i * 4 + 3] = 0; // the top half
    const half = await openImage(encodeBmp(halfClear, W, H, { bitsPerPixel: 32 }), { maxPixels });
    expectColour(await pixel(half.image, 2, 2), white, 0);
    expectColour(await pixel(half.image, 2, H - 3), [30, 40, 210], 0);

    // Writers that declare an alpha mask and leave it 0 are common; browsers show them opaque too.
    const unset = encodeBmp(quadrants(W, H, 0), W, H, { bitsPerPixel: 32 });
    await expectQuadrants(await openImage(unset, { maxPixels }), 0);
  });

  it('refuses a BMP that wraps a JPEG or PNG stream as unsupported, not corrupt', async () => {
    const bmp = encodeBmp(quadrants(W, H), W, H, { bitsPerPixel: 24 });
    for (const compression of [4, 5]) {
      const wrapped = Buffer.from(bmp);
      wrapped.writeUInt32LE(compression, 30);
      await expectRejection(openImage(wrapped, { maxPixels }), 'UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('refuses truncated BMPs and cut headers as MEDIA_CORRUPT', async () => {
    const bmp = encodeBmp(quadrants(W, H), W, H, { bitsPerPixel: 24 });
    const speckledRle = encodeBmp(speckled(W, H), W, H, { bitsPerPixel: 8, rle: true });
    const runs = encodeBmp(quadrants(W, H), W, H, { bitsPerPixel: 8, rle: true });
    const rowBytes = 6; // two encoded runs and an end-of-line
    const cases = {
      'truncated 24-bit': bmp.subarray(0, bmp.length - 100),
      'cut in half': bmp.subarray(0, bmp.length / 2),
      'header only': bmp.subarray(0, 20),
      'RLE8 cut inside an absolute run': speckledRle.subarray(0, speckledRle.length - 200),
      // libnsbmp alone would show this one with its top 10 rows missing.
      'RLE8 cut after 20 of 30 rows': runs.subarray(0, runs.readUInt32LE(10) + 20 * rowBytes),
    };
    await expectEachRejected(cases, (bytes) => openImage(bytes, { maxPixels }), 'MEDIA_CORRUPT');
  });

  it('refuses a BMP bomb from its header, before a pixel buffer is allocated', async () => {
    const bomb = encodeBmp(quadrants(W, H), W, H, { bitsPerPixel: 24 }).subarray(0, 60);
    bomb.writeInt32LE(50_000, 18);
    bomb.writeInt32LE(-50_000, 22);
    expect(readBmpHeader(bomb)).toEqual({ width: 50_000, height: 50_000, embedded: false });
    const rssBefore = process.memoryUsage().rss;
    const error = await expectRejection(openImage(bomb, { maxPixels }), 'MEDIA_TOO_LARGE');
    expect(error.details).toMatchObject({ width: 50_000, height: 50_000, max_pixels: maxPixels });
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it('reads the 16-bit sizes of the OS/2 core header', () => {
    const core = Buffer.alloc(26);
    core.write('BM', 0, 'latin1');
    core.writeUInt32LE(12, 14);
    core.writeUInt16LE(300, 18);
    core.writeInt16LE(-200, 20);
    expect(readBmpHeader(core)).toEqual({ width: 300, height: 200, embedded: false });
    core.writeUInt16LE(0, 18);
    expect(readBmpHeader(core)).toBeNull();
  });
});
