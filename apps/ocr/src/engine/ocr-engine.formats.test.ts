// Model test: the real tesseract.js engine on images generated here in every accepted format, and
// on broken or hostile files, which must fail with their typed error before any OCR runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { characterErrorRate } from '../testing/character-error-rate.js';
import { bmpBomb, type ImageVariant, imageVariants, pngBomb } from '../testing/image-variants.js';
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

describe('bad input', () => {
  it('refuses an empty file and a text file named .png as unsupported', async () => {
    await expect(engine.extract(Buffer.alloc(0))).rejects.toMatchObject({ code: 'MEDIA_UNSUPPORTED' });
    const text = Buffer.from('INVOICE No. 2024-0917\nthis is not a PNG\n');
    await expect(engine.extract(text)).rejects.toMatchObject({ code: 'MEDIA_UNSUPPORTED' });
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    await expect(engine.extract(svg)).rejects.toMatchObject({ code: 'MEDIA_UNSUPPORTED' });
  });

  it('refuses truncated and corrupt files as corrupt', async () => {
    const png = readOcrFixture('invoice-clean.png');
    const jpeg = readOcrFixture('invoice-noisy.jpg');
    const bmp = variants.find((variant) => variant.name === '24-bit BMP')?.bytes ?? Buffer.alloc(0);
    const garbled = Buffer.from(png);
    garbled.fill(0x55, 2_000, 30_000); // inside IDAT: its CRC and the zlib stream both break
    for (const bytes of [
      png.subarray(0, png.length / 2),
      png.subarray(0, 40),
      jpeg.subarray(0, jpeg.length / 2),
      garbled,
      bmp.subarray(0, bmp.length / 2),
    ]) {
      await expect(engine.extract(bytes)).rejects.toMatchObject({ code: 'MEDIA_CORRUPT' });
    }
  });

  it('refuses a PNG bomb from its header, before decoding, in bounded memory', async () => {
    const bomb = await pngBomb(50_000, 50_000); // 2.5 G pixels in ~300 kB
    expect(bomb.length).toBeLessThan(1_000_000);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    await expect(engine.extract(bomb)).rejects.toMatchObject({
      code: 'MEDIA_TOO_LARGE',
      details: { width: 50_000, height: 50_000, max_pixels: 50_000_000 },
    });
    expect(performance.now() - started).toBeLessThan(1_000);
    // Decoding even one row band of it as RGB would take hundreds of MB.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses a BMP bomb from its header, before bmp-ts allocates its pixels', async () => {
    const rssBefore = process.memoryUsage().rss;
    await expect(engine.extract(bmpBomb(50_000, 50_000))).rejects.toMatchObject({ code: 'MEDIA_TOO_LARGE' });
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses a TIFF with more pages than allowed', async () => {
    const small = await createOcrEngine({ maxPages: 1 });
    try {
      const tiff = variants.find((variant) => variant.pages === 2)?.bytes ?? Buffer.alloc(0);
      await expect(small.extract(tiff)).rejects.toMatchObject({
        code: 'MEDIA_TOO_LARGE',
        details: { pages: 2 },
      });
    } finally {
      await small.close();
    }
  });
});
