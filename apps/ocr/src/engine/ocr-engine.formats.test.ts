// Model test: the real tesseract.js engine on images generated here in every accepted format, and
// on broken or oversized files, which must fail with their typed error before any OCR runs.
import { manyPagesTiff } from '@gantry/image-input/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { characterErrorRate } from '../testing/character-error-rate.js';
import { type ImageVariant, imageVariants } from '../testing/image-variants.js';
import { invoiceText, readOcrFixture } from '../testing/ocr-fixtures.js';
import { createOcrEngine, type OcrEngine } from './ocr-engine.js';

let engine: OcrEngine;
let variants: ImageVariant[];
beforeAll(async () => {
  engine = await createOcrEngine({ maxPixels: 50_000_000 });
  // hard-small.png (the invoice at 150 dpi) keeps each recognition near 300 ms.
  variants = await imageVariants(readOcrFixture('hard-small.png'));
});
afterAll(() => engine.close());

describe('generated formats', () => {
  it('reads the text of every variant', async () => {
    for (const variant of variants) {
      const result = await engine.extract(variant.bytes);
      expect(result.pages.length, variant.name).toBe(variant.pages);
      expect(result.pages[0], variant.name).toMatchObject({ width: 647, height: 241 });
      expect(
        characterErrorRate(result.pages[0]?.text ?? '', invoiceText()),
        variant.name,
      ).toBeLessThanOrEqual(0.02);
    }
  });

  it('returns an empty page, not an error, for a page without text', async () => {
    const tiff = variants.find((variant) => variant.pages === 2);
    if (!tiff) throw new Error('no multi-page variant');
    const { pages, text } = await engine.extract(tiff.bytes);
    expect(pages[1]).toMatchObject({ number: 2, text: '', confidence: 0, words: [] });
    expect(text.split('\f')).toHaveLength(2);
  });

  it('stops between pages when the signal aborts', async () => {
    const tiff = variants.find((variant) => variant.pages === 2);
    if (!tiff) throw new Error('no multi-page variant');
    const controller = new AbortController();
    const messages: string[] = [];
    const extracting = engine.extract(tiff.bytes, {
      signal: controller.signal,
      onProgress: (_, message) => {
        messages.push(message);
        if (message === 'page 1/2: recognizing') controller.abort(new Error('canceled by test'));
      },
    });
    await expect(extracting).rejects.toThrow('canceled by test');
    expect(messages.some((message) => message.startsWith('page 2/2'))).toBe(false);
  });
});

// Each refusal is tested case by case in @gantry/image-input; here, that the engine applies its
// limits and passes the typed errors through before any OCR runs.
describe('bad input', () => {
  it('refuses empty, non-image and truncated files with the typed errors of @gantry/image-input', async () => {
    await expect(engine.extract(Buffer.alloc(0))).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    const text = Buffer.from('INVOICE No. 2024-0917\nthis is not a PNG\n');
    await expect(engine.extract(text)).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    const png = readOcrFixture('invoice-clean.png');
    await expect(engine.extract(png.subarray(0, png.length / 2))).rejects.toMatchObject({
      code: 'MEDIA_CORRUPT',
    });
  });

  it('applies its maxPixels and maxPages options', async () => {
    const small = await createOcrEngine({ maxPixels: 200_000, maxPages: 1 });
    try {
      // invoice-clean.png is 1839×733 = 1,347,987 pixels; hard-small.png (the TIFF's pages) 155,927.
      await expect(small.extract(readOcrFixture('invoice-clean.png'))).rejects.toMatchObject({
        code: 'MEDIA_TOO_LARGE',
        details: { width: 1839, height: 733, max_pixels: 200_000 },
      });
      const tiff = variants.find((variant) => variant.pages === 2)?.bytes ?? Buffer.alloc(0);
      await expect(small.extract(tiff)).rejects.toMatchObject({
        code: 'MEDIA_TOO_LARGE',
        details: { pages: 2, max_pages: 1 },
      });
    } finally {
      await small.close();
    }
  });

  it('answers a TIFF far over the page limit from one page header, with its honest page count', async () => {
    // 300 pages of 16×16: a header per page, as before, was 300 libvips opens, each counting all
    // 300 directories. The spy only counts; the headers are libvips' own.
    const tiff = manyPagesTiff(300);
    const headers = vi.spyOn(sharp.prototype, 'metadata');
    try {
      await expect(engine.extract(tiff)).rejects.toMatchObject({
        code: 'MEDIA_TOO_LARGE',
        details: { pages: 300, max_pages: 50 },
      });
      expect(headers).toHaveBeenCalledTimes(1);
      headers.mockClear();
      const first = await engine.extract(tiff, { onPageLimit: 'first_pages', pages: { first: 1, last: 2 } });
      expect(first).toMatchObject({ page_count: 300, truncated: false });
      expect(first.pages.map((page) => page.number)).toEqual([1, 2]);
      // The document's header, then the second page's before it is decoded.
      expect(headers).toHaveBeenCalledTimes(2);
    } finally {
      headers.mockRestore();
    }
  });
});
