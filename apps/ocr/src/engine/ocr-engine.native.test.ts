// Model test: OCR_ENGINE=native, Debian's tesseract CLI, a warm one per recognizer, as a child of this
// (engine) process, watched through /proc. Skipped, saying what to install, where the CLI is missing.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childProcesses, isRunning } from '../testing/child-processes.js';
import { engineTitle, nativeTesseractMissing } from '../testing/ocr-engine-kinds.js';
import { readOcrFixture } from '../testing/ocr-fixtures.js';
import { pageImage } from '../testing/page-images.js';
import { createOcrEngine, type OcrEngine } from './ocr-engine.js';

const readers = () => childProcesses(process.pid, 'tesseract stdin stdout');

describe.skipIf(nativeTesseractMissing !== null)(
  engineTitle({ kind: 'native', skip: nativeTesseractMissing }),
  () => {
    let engine: OcrEngine;
    const pageTexts = ['First page of the report', 'Second page: totals', 'Third page: signatures'];
    let document: Buffer;
    beforeAll(async () => {
      engine = await createOcrEngine({ engine: 'native', poolSize: 2 });
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
    afterAll(() => engine.close());

    it('reads the pages of one document on two warm CLI processes at once, in page order', async () => {
      const seen = new Set<number>();
      const watch = setInterval(() => readers().forEach(({ pid }) => seen.add(pid)), 20);
      try {
        const result = await engine.extract(document);
        expect(result.pages.map((page) => page.number)).toEqual([1, 2, 3]);
        result.pages.forEach((page, i) => expect(page.text).toContain(pageTexts[i]));
        const again = await engine.extract(document, { pages: { first: 1, last: 1 } });
        expect(again.pages[0]?.text).toContain(pageTexts[0]);
      } finally {
        clearInterval(watch);
      }
      // The same two processes read every page (their model loaded once) and wait for the next ones.
      expect(seen.size).toBe(2);
      expect(readers().map(({ pid }) => pid)).toEqual([...seen].sort((a, b) => a - b));
    }, 120_000);

    it('kills the CLI processes reading its pages when the job is canceled, and keeps serving', async () => {
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
          // "recognizing" comes before the engine process straightens the page, and the warm CLIs are
          // idle until then: cancel once both have spent a third of a second on their pages.
          const idle = new Map(readers().map(({ pid, cpuSeconds }) => [pid, cpuSeconds]));
          const cancelOnceBothRead = setInterval(() => {
            const reading = readers().filter(
              ({ pid, cpuSeconds }) => cpuSeconds > (idle.get(pid) ?? 0) + 0.3,
            );
            if (reading.length < 2) return;
            clearInterval(cancelOnceBothRead);
            busy = reading.map((p) => p.pid);
            abortedAt = performance.now();
            controller.abort(new Error('canceled by test'));
          }, 20);
        },
      });
      await expect(extracting).rejects.toThrow('canceled by test');
      expect(busy).toHaveLength(2);
      while (busy.some(isRunning) && performance.now() - abortedAt < 2000) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(busy.filter(isRunning)).toEqual([]);
      const { pages } = await engine.extract(document, { pages: { first: 3, last: 3 } });
      expect(pages[0]?.text).toContain(pageTexts[2]);
    }, 120_000);

    it('refuses a language its tessdata does not hold, naming the ones it does', async () => {
      await expect(
        engine.extract(readOcrFixture('hard-small.png'), { languages: ['xyz'] }),
      ).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { unknown: ['xyz'], available: expect.arrayContaining(['eng']) },
      });
    });
  },
);
