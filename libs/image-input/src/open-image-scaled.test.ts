import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { openImage } from './open-image.js';
import { jpegTurboScaled } from './jpeg-turbo-scaled.js';
import { openImageScaled } from './open-image-scaled.js';
import { readJpegHeader } from './read-jpeg-header.js';
import { noisyJpeg, withFlippedBytes, withStrayBytes } from './testing/damaged-jpeg.js';
import { encodeBmp } from './testing/encode-bmp.js';
import { expectEachRejected, expectRejection } from './testing/expect-rejection.js';
import {
  blue,
  expectColour,
  quadrants,
  quadrantsStoredTurned,
  red,
  type Rgb,
  white,
} from './testing/quadrant-image.js';

// Every input is made here with sharp; nothing is mocked.

const W = 40;
const H = 30;
const maxPixels = 10_000;
const half = {
  size: (width: number, height: number) => ({ width: width / 2, height: height / 2 }),
  kernel: 'linear' as const,
};

const rawRgba = (data: Buffer, width = W, height = H) => sharp(data, { raw: { width, height, channels: 4 } });

function readJpegHeaderOf(jpeg: Buffer) {
  const header = readJpegHeader(jpeg);
  if (!header) throw new Error('the test JPEG has no plain header');
  return header;
}

/** The RGB at (x, y) of a scaled page. */
const at = (page: { pixels: Buffer; channels: number; scaledWidth: number }, x: number, y: number) => {
  const offset = (y * page.scaledWidth + x) * page.channels;
  return [...page.pixels.subarray(offset, offset + 3)];
};

function expectScaledQuadrants(page: Awaited<ReturnType<typeof openImageScaled>>, colours: Rgb[]) {
  const corners = [
    [1, 1],
    [page.scaledWidth - 2, 1],
    [1, page.scaledHeight - 2],
    [page.scaledWidth - 2, page.scaledHeight - 2],
  ] as const;
  corners.forEach(([x, y], i) => expectColour(at(page, x, y), colours[i] ?? white));
}

describe('openImageScaled', () => {
  it('decodes straight to the size asked for, given the size as displayed after EXIF orientation', async () => {
    const stored = await quadrantsStoredTurned(W, H);
    const asked: number[][] = [];
    const page = await openImageScaled(stored, {
      maxPixels,
      kernel: 'linear',
      size: (width, height) => {
        asked.push([width, height]);
        return { width: width / 2, height: height / 2 };
      },
    });
    expect(asked).toEqual([[W, H]]);
    expect(page).toMatchObject({
      format: 'jpeg',
      width: W,
      height: H,
      scaledWidth: W / 2,
      scaledHeight: H / 2,
      channels: 3,
    });
    expect(page.pixels).toHaveLength((W / 2) * (H / 2) * 3);
    expectScaledQuadrants(page, [red, [20, 200, 40], blue, white]);
  });

  it('gives the pixels openImage gives, resized, and flattens transparency onto white', async () => {
    const png = await rawRgba(quadrants(W, H, 0))
      .png()
      .toBuffer();
    const page = await openImageScaled(png, { maxPixels, ...half });
    expectScaledQuadrants(page, [white, white, white, white]);
    const opaque = await rawRgba(quadrants(W, H)).png().toBuffer();
    const opened = await openImage(opaque, { maxPixels });
    const resized = await opened.image
      .resize(W / 2, H / 2, { fit: 'fill', kernel: 'linear' })
      .raw()
      .toBuffer();
    expect((await openImageScaled(opaque, { maxPixels, ...half })).pixels).toEqual(resized);
  });

  it('decodes a plain JPEG with libjpeg-turbo, and refuses one with damaged scan data as libvips does', async () => {
    const jpeg = await rawRgba(quadrants(W, H)).jpeg({ quality: 95 }).toBuffer();
    const bigger = {
      size: (width: number, height: number) => ({ width: width * 0.8, height: height * 0.8 }),
    };
    const page = await openImageScaled(jpeg, { maxPixels, ...half, ...bigger });
    expect(page).toMatchObject({ format: 'jpeg', scaledWidth: 32, scaledHeight: 24 });
    const turbo = await jpegTurboScaled(
      jpeg,
      readJpegHeaderOf(jpeg),
      { width: 32, height: 24 },
      'linear',
      false,
    );
    expect(page.pixels).toEqual(turbo?.pixels);
    expectScaledQuadrants(page, [red, [20, 200, 40], blue, white]);
    // Bytes of the scan overwritten: libjpeg-turbo warns of corrupt data and is not trusted; libvips
    // then refuses it too, at the shrink-on-load size as at the size libjpeg-turbo would have made.
    const damaged = Buffer.from(jpeg);
    damaged.fill(0x55, damaged.length - 120, damaged.length - 60);
    for (const bytes of [damaged, withFlippedBytes(await noisyJpeg())]) {
      for (const scale of [{ ...half, ...bigger }, half]) {
        const error = await expectRejection(
          openImageScaled(bytes, { maxPixels: 100_000, ...scale }),
          'MEDIA_CORRUPT',
        );
        expect(error.details).toMatchObject({ decoder: expect.stringMatching(/Corrupt JPEG data/) });
      }
    }
  });

  it('decodes a JPEG with stray bytes before its end as the file without them, on both paths', async () => {
    const clean = await noisyJpeg(true);
    const padded = withStrayBytes(clean, 0xd9);
    const bigger = {
      size: (width: number, height: number) => ({ width: width * 0.75, height: height * 0.75 }),
    };
    for (const scale of [{ ...half, ...bigger }, half]) {
      const page = await openImageScaled(padded, { maxPixels: 100_000, ...scale });
      const expected = await openImageScaled(clean, { maxPixels: 100_000, ...scale });
      expect(page.pixels.length).toBe(expected.pixels.length);
      // The clean file may take libjpeg-turbo's path, the padded one (warned about) libvips': their resizes
      // differ by a few levels on this noise, where garbage would differ by tens.
      const difference = page.pixels.reduce(
        (sum, value, i) => sum + Math.abs(value - (expected.pixels[i] ?? 0)),
        0,
      );
      expect(difference / page.pixels.length).toBeLessThan(5);
    }
  });

  it('reads BMP through its own decoder', async () => {
    const bmp = encodeBmp(quadrants(W, H), W, H, { bitsPerPixel: 24 });
    const page = await openImageScaled(bmp, { maxPixels, ...half });
    expect(page).toMatchObject({
      format: 'bmp',
      width: W,
      height: H,
      scaledWidth: W / 2,
      scaledHeight: H / 2,
    });
    expectScaledQuadrants(page, [red, [20, 200, 40], blue, white]);
  });

  it('refuses what openImage refuses, with the same typed errors', async () => {
    const png = await rawRgba(quadrants(W, H)).png().toBuffer();
    await expectEachRejected(
      { empty: Buffer.alloc(0), text: Buffer.from('not an image at all, just text\n') },
      (bytes) => openImageScaled(bytes, { maxPixels, ...half }),
      'UNSUPPORTED_MEDIA_TYPE',
    );
    await expectRejection(
      openImageScaled(png.subarray(0, png.length - 40), { maxPixels, ...half }),
      'MEDIA_CORRUPT',
    );
    await expectRejection(openImageScaled(png, { maxPixels: W * H - 1, ...half }), 'MEDIA_TOO_LARGE');
  });
});
