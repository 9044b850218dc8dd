// Model test: the real engine (recognizer processes running tesseract.js with the English model) on
// pages turned and multiplied here from the shared fixtures. Processes are watched through /proc.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { characterErrorRate } from '../testing/character-error-rate.js';
import { childProcesses, isRunning } from '../testing/child-processes.js';
import { invoiceText, readOcrFixture } from '../testing/ocr-fixtures.js';
import { pageImage } from '../testing/page-images.js';
import { createOcrEngine, type OcrEngine } from './ocr-engine.js';

const recognizers = () => childProcesses(process.pid, 'recognizer-host');

let engine: OcrEngine;
beforeAll(async () => {
  engine = await createOcrEngine({ poolSize: 2 });
});
afterAll(() => engine.close());

describe('orientation', () => {
  it.each([
    // A page turned 90° clockwise is turned back 90° the other way; its first word is then top right.
    { given: 90, rotation: -90, invoiceAt: 'right' },
    { given: 180, rotation: 180, invoiceAt: 'bottom' },
    { given: 270, rotation: 90, invoiceAt: 'left' },
  ] as const)(
    'reads a page turned $given° clockwise, reports rotation $rotation, boxes on the page as given',
    async ({ given, rotation, invoiceAt }) => {
      const turned = await sharp(readOcrFixture('invoice-clean.png')).rotate(given).png().toBuffer();
      const { pages } = await engine.extract(turned);
      const [page] = pages;
      if (!page) throw new Error('no page');
      expect(page.rotation).toBe(rotation);
      expect(characterErrorRate(page.text, invoiceText())).toBeLessThanOrEqual(0.02);
      expect([page.width, page.height]).toEqual(given === 180 ? [1839, 733] : [733, 1839]);
      const invoice = page.words.find((word) => word.text === 'INVOICE')?.bbox;
      if (!invoice) throw new Error('INVOICE not read');
      const where = {
        right: invoice.x0 > page.width / 2 && invoice.y1 < page.height / 4,
        bottom: invoice.y0 > page.height / 2 && invoice.x0 > page.width / 2,
        left: invoice.x1 < page.width / 2 && invoice.y0 > (page.height * 3) / 4,
      };
      expect(where[invoiceAt]).toBe(true);
    },
  );

  // The edge of the skew search (±10°): found there, not clipped to a smaller angle.
  it.each([-10, 10])(
    'straightens a page fed %s° crooked and reads it as well as the straight one',
    async (given) => {
      const crooked = await sharp(readOcrFixture('invoice-clean.png'))
        .rotate(given, { background: '#ffffff' })
        .flatten({ background: '#ffffff' })
        .png()
        .toBuffer();
      const { pages } = await engine.extract(crooked);
      expect(Math.abs((pages[0]?.rotation ?? 0) + given)).toBeLessThanOrEqual(0.3);
      expect(characterErrorRate(pages[0]?.text ?? '', invoiceText())).toBeLessThanOrEqual(0.01);
    },
  );

  it('leaves an upright page unturned', async () => {
    const { pages } = await engine.extract(readOcrFixture('invoice-clean.png'));
    expect(pages[0]?.rotation).toBe(0);
  });
});

describe('pages across recognizer processes', () => {
  const pageTexts = [
    'First page of the report',
    'Second page: totals',
    'Third page: signatures',
    'Fourth page, the end',
  ];
  let document: Buffer;
  beforeAll(async () => {
    const images = await Promise.all(
      pageTexts.map((text) =>
        pageImage(
          1400,
          700,
          Array.from({ length: 6 }, (_, line) => ({
            x: 60,
            y: 100 + 90 * line,
            text: `${text} (${line + 1})`,
          })),
        ),
      ),
    );
    document = await sharp(images, { join: { animated: true } })
      .tiff()
      .toBuffer();
  });

  it('recognises the pages of one document on two processes at once, in page order', async () => {
    // Both processes started (the second starts when a page waits for it), then each one's CPU time
    // before and after: each one reads pages of the next document.
    await engine.extract(document, { pages: { first: 1, last: 2 } });
    const before = recognizers();
    expect(before).toHaveLength(2);
    const result = await engine.extract(document);
    const after = recognizers();
    expect(after.map((p) => p.pid)).toEqual(before.map((p) => p.pid));
    after.forEach((process, i) => {
      expect(process.cpuSeconds - (before[i]?.cpuSeconds ?? 0)).toBeGreaterThan(0.1);
    });
    expect(result.pages.map((page) => page.number)).toEqual([1, 2, 3, 4]);
    result.pages.forEach((page, i) => {
      expect(page.text).toContain(pageTexts[i]);
    });
  }, 180_000);

  it('kills the processes reading its pages when the job is canceled, and keeps serving', async () => {
    // Two A4 pages (seconds each): half a second after both began, both processes are reading.
    const a4 = readOcrFixture('page-a4.png');
    const long = await sharp([a4, a4], { join: { animated: true } })
      .tiff()
      .toBuffer();
    const controller = new AbortController();
    const started = new Set<string>();
    let busy: number[] = [];
    let abortedAt = 0;
    const extracting = engine.extract(long, {
      signal: controller.signal,
      onProgress: (_, message) => {
        if (!message.endsWith('recognizing') || started.has(message)) return;
        started.add(message);
        if (started.size < 2) return;
        setTimeout(() => {
          busy = recognizers().map((p) => p.pid);
          abortedAt = performance.now();
          controller.abort(new Error('canceled by test'));
        }, 500);
      },
    });
    await expect(extracting).rejects.toThrow('canceled by test');
    expect(busy).toHaveLength(2);
    while (busy.some(isRunning) && performance.now() - abortedAt < 2000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(busy.filter(isRunning)).toEqual([]);
    const { pages } = await engine.extract(document, { pages: { first: 4, last: 4 } });
    expect(pages[0]?.text).toContain(pageTexts[3]);
  }, 180_000);
});
