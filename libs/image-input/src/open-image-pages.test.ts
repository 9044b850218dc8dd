import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import type { GreyPage } from './image-file.js';
import { openImage } from './open-image.js';
import { openImagePages } from './open-image-pages.js';
import { expectRejection } from './testing/expect-rejection.js';
import { manyPagesTiff } from './testing/many-pages-tiff.js';
import { blue, green, quadrants, quadrantsStoredTurned, red, type Rgb } from './testing/quadrant-image.js';

// Multi-page files made here with sharp; TIFF headers patched by hand where a test needs a lie.

const W = 40;
const H = 30;
const limits = { maxPixels: 10_000, maxPages: 3 };

const pagesOf = (...colours: Rgb[]) =>
  sharp(Buffer.concat(colours.map((colour) => Buffer.alloc(W * H * 3).map((_, i) => colour[i % 3] ?? 0))), {
    raw: { width: W, height: H * colours.length, channels: 3, pageHeight: H },
  });

/** The 8-bit grey libvips makes of a colour. */
async function greyOf(colour: Rgb): Promise<number> {
  const grey = await sharp(Buffer.from(colour), { raw: { width: 1, height: 1, channels: 3 } })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  return grey[0] ?? -1;
}

async function expectGrey(page: GreyPage, x: number, y: number, colour: Rgb, tolerance: number) {
  expect(page.data).toHaveLength(page.width * page.height);
  expect(Math.abs((page.data[y * page.width + x] ?? -999) - (await greyOf(colour)))).toBeLessThanOrEqual(
    tolerance,
  );
}

/** A little-endian TIFF whose page `page` (0-based) declares another size: only its IFD changes. */
function withTiffPageSize(tiff: Buffer, page: number, width: number, height: number): Buffer {
  const patched = Buffer.from(tiff);
  expect(patched.toString('latin1', 0, 2)).toBe('II');
  let ifd = patched.readUInt32LE(4);
  for (let skipped = 0; skipped < page; skipped++)
    ifd = patched.readUInt32LE(ifd + 2 + 12 * patched.readUInt16LE(ifd));
  for (let entry = ifd + 2; entry < ifd + 2 + 12 * patched.readUInt16LE(ifd); entry += 12) {
    const tag = patched.readUInt16LE(entry);
    if (tag !== 256 && tag !== 257) continue; // ImageWidth, ImageLength
    const value = tag === 256 ? width : height;
    if (patched.readUInt16LE(entry + 2) === 3) patched.writeUInt16LE(value, entry + 8);
    else patched.writeUInt32LE(value, entry + 8);
  }
  return patched;
}

describe('openImagePages', () => {
  it('decodes every page of a TIFF, one at a time, as 8-bit grey', async () => {
    const pages = await openImagePages(
      await pagesOf(red, green, blue).tiff({ compression: 'lzw' }).toBuffer(),
      limits,
    );
    expect(pages).toMatchObject({ format: 'tiff', count: 3 });
    for (const [index, colour] of [red, green, blue].entries()) {
      const page = await pages.greyPage(index);
      expect(page).toMatchObject({ width: W, height: H });
      await expectGrey(page, W - 1, H - 1, colour, 0);
    }
  });

  it('gives every frame of a GIF or WebP animation as a page when frames are pages', async () => {
    const files = {
      gif: await pagesOf(red, blue).gif().toBuffer(),
      webp: await pagesOf(red, blue).webp({ lossless: true }).toBuffer(),
    };
    for (const [format, bytes] of Object.entries(files)) {
      const pages = await openImagePages(bytes, { ...limits, framesArePages: true });
      expect(pages, format).toMatchObject({ format, count: 2 });
      await expectGrey(await pages.greyPage(1), 2, 2, blue, 8);
    }
  });

  it('gives one page for other formats: the first frame of an animation is its page', async () => {
    const files = {
      gif: await pagesOf(red, blue).gif().toBuffer(),
      webp: await pagesOf(red, blue).webp({ lossless: true }).toBuffer(),
      png: await sharp({ create: { width: W, height: H, channels: 3, background: '#dc1e14' } })
        .png()
        .toBuffer(),
    };
    for (const [format, bytes] of Object.entries(files)) {
      const pages = await openImagePages(bytes, { ...limits, maxPages: 1 });
      expect(pages, format).toMatchObject({ format, count: 1 });
      await expectGrey(await pages.greyPage(0), 2, 2, red, 8);
    }
  });

  it('refuses a TIFF with more pages than maxPages, and takes exactly maxPages', async () => {
    const four = await pagesOf(red, green, blue, red).tiff({ compression: 'lzw' }).toBuffer();
    const error = await expectRejection(openImagePages(four, limits), 'MEDIA_TOO_LARGE');
    expect(error.details).toEqual({ pages: 4, max_pages: 3 });
    await expect(openImagePages(four, { ...limits, maxPages: 4 })).resolves.toMatchObject({ count: 4 });
  });

  it('checks the size of every page from its header before decoding any page', async () => {
    const tiff = await pagesOf(red, green, blue).tiff({ compression: 'lzw' }).toBuffer();
    // Page 3 declares 60000×60000 over the pixels of 40×30: decoding it would fail as corrupt.
    const bomb = withTiffPageSize(tiff, 2, 60_000, 60_000);
    expect((await sharp(bomb, { page: 2, limitInputPixels: false }).metadata()).width).toBe(60_000);
    const error = await expectRejection(openImagePages(bomb, limits), 'MEDIA_TOO_LARGE');
    expect(error.message).toMatch(/^Page 3 of the tiff image/);
    expect(error.details).toMatchObject({ page: 3, width: 60_000, height: 60_000, max_pixels: 10_000 });
  });

  it('refuses what openImage refuses, with the same codes', async () => {
    await expectRejection(openImagePages(Buffer.alloc(0), limits), 'UNSUPPORTED_MEDIA_TYPE');
    await expectRejection(openImagePages(Buffer.from('%PDF-1.7\n'), limits), 'UNSUPPORTED_MEDIA_TYPE');
    const tiff = await pagesOf(red, green).tiff({ compression: 'lzw' }).toBuffer();
    await expectRejection(openImagePages(tiff.subarray(0, 12), limits), 'MEDIA_CORRUPT');
  });

  it('rejects a page index outside the image', async () => {
    const pages = await openImagePages(
      await pagesOf(red, green).tiff({ compression: 'lzw' }).toBuffer(),
      limits,
    );
    await expect(pages.greyPage(2)).rejects.toThrow(RangeError);
    await expect(pages.greyPage(-1)).rejects.toThrow(RangeError);
  });

  // One libvips pass to grey must give what openImage's upright sRGB page turned grey gives: OCR read those
  // pixels before. From 16 bits, the grey is rounded once instead of twice: one level apart at most.
  it("gives the pixels of openImage's page turned grey: EXIF orientation, alpha on white, palette, 16 bits", async () => {
    const translucent = sharp(quadrants(W, H, 140), { raw: { width: W, height: H, channels: 4 } });
    const opaque = () => translucent.clone().removeAlpha();
    const files = {
      'JPEG stored turned': [await quadrantsStoredTurned(W, H), 0],
      'PNG with alpha': [await translucent.clone().png().toBuffer(), 0],
      'palette PNG': [await opaque().png({ palette: true, colours: 8 }).toBuffer(), 0],
      'grey JPEG': [await opaque().toColourspace('b-w').jpeg().toBuffer(), 0],
      '16-bit PNG': [await opaque().png().toColourspace('rgb16').toBuffer(), 1],
    } as const;
    for (const [name, [bytes, tolerance]] of Object.entries(files)) {
      const { image } = await openImage(bytes, { maxPixels: limits.maxPixels });
      const expected = await image.toColourspace('b-w').raw({ depth: 'uchar' }).toBuffer();
      const { data } = await (await openImagePages(bytes, { ...limits, maxPages: 1 })).greyPage(0);
      expect(data, name).toHaveLength(expected.length);
      const apart = data.reduce((most, grey, i) => Math.max(most, Math.abs(grey - (expected[i] ?? -999))), 0);
      expect(apart, name).toBeLessThanOrEqual(tolerance);
    }
  });

  it('reads one libvips header for a TIFF of any page count, and refuses one over maxPages from it', async () => {
    // libvips counts every directory to read any one page's header: a header per page was
    // quadratic (1,000 pages: 8 s). The spy only counts; the headers are libvips' own.
    const headers = vi.spyOn(sharp.prototype, 'metadata');
    try {
      const many = manyPagesTiff(400);
      await expect(openImagePages(many, { ...limits, maxPages: 1000 })).resolves.toMatchObject({
        count: 400,
      });
      expect(headers).toHaveBeenCalledTimes(1);
      const error = await expectRejection(
        openImagePages(many, { ...limits, maxPages: 50 }),
        'MEDIA_TOO_LARGE',
      );
      expect(error.details).toEqual({ pages: 400, max_pages: 50 });
      expect(headers).toHaveBeenCalledTimes(2);
    } finally {
      headers.mockRestore();
    }
  });
});
