// Model test: the real engines (tesseract.js with its English traineddata, and Debian's tesseract CLI
// where installed), on the shared OCR fixtures and a receipt drawn by ../testing/page-images.ts: the
// same assertions hold for both.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { characterErrorRate } from '../testing/character-error-rate.js';
import { invoiceText, readOcrFixture } from '../testing/ocr-fixtures.js';
import { receiptPage, receiptRows } from '../testing/page-images.js';
import { engineTitle, ocrEngineKinds } from '../testing/ocr-engine-kinds.js';
import { defaultLanguageDir } from '@gantry/tesseract-languages';
import { createOcrEngine, type OcrEngine } from './ocr-engine.js';
import type { OcrPage } from './ocr-result.js';

function expectSaneWords(page: OcrPage): void {
  expect(page.words.length).toBeGreaterThan(10);
  for (const word of page.words) {
    expect(word.text.trim()).not.toBe('');
    expect(word.confidence).toBeGreaterThanOrEqual(0);
    expect(word.confidence).toBeLessThanOrEqual(1);
    const { x0, y0, x1, y1 } = word.bbox;
    expect(x0).toBeGreaterThanOrEqual(0);
    expect(y0).toBeGreaterThanOrEqual(0);
    expect(x1).toBeGreaterThan(x0);
    expect(y1).toBeGreaterThan(y0);
    expect(x1).toBeLessThanOrEqual(page.width);
    expect(y1).toBeLessThanOrEqual(page.height);
  }
}

for (const engineKind of ocrEngineKinds) {
  const { kind } = engineKind;
  describe.skipIf(engineKind.skip !== null)(engineTitle(engineKind), () => {
    let engine: OcrEngine;
    beforeAll(async () => {
      engine = await createOcrEngine({ engine: kind });
    });
    afterAll(() => engine.close());

    describe('accuracy on the shared fixtures', () => {
      const cases = [
        { file: 'invoice-clean.png', truth: 'invoice.gt.txt', maxCer: 0.02, size: [1839, 733] },
        { file: 'invoice-noisy.jpg', truth: 'invoice.gt.txt', maxCer: 0.02, size: [1855, 773] },
        { file: 'hard-small.png', truth: 'invoice.gt.txt', maxCer: 0.02, size: [647, 241] },
        { file: 'hard-photo.jpg', truth: 'invoice.gt.txt', maxCer: 0.15, size: [1103, 440] },
        { file: 'page-a4.png', truth: 'page-a4.gt.txt', maxCer: 0.02, size: [2480, 3508] },
      ] as const;

      it.each(cases)(
        'reads $file with CER ≤ $maxCer',
        async ({ file, truth, maxCer, size }) => {
          const started = performance.now();
          const result = await engine.extract(readOcrFixture(file));
          const cer = characterErrorRate(result.text, readOcrFixture(truth).toString('utf8'));
          console.info(
            `${file}: CER ${(cer * 100).toFixed(2)} %, ${Math.round(performance.now() - started)} ms`,
          );

          expect(cer).toBeLessThanOrEqual(maxCer);
          expect(result.pages).toHaveLength(1);
          const [page] = result.pages;
          if (!page) throw new Error('no page');
          expect(page).toMatchObject({ number: 1, width: size[0], height: size[1], text: result.text });
          expect(page.confidence).toBeGreaterThan(0.5);
          expectSaneWords(page);
          // The A4 page took tesseract.js over 30 s on the 2-core machine at load 20+.
        },
        120_000,
      );

      it('puts each word where it is on the page', async () => {
        const { pages } = await engine.extract(readOcrFixture('invoice-clean.png'));
        const words = pages[0]?.words ?? [];
        const invoice = words.find((word) => word.text === 'INVOICE');
        const dog = words.find((word) => word.text === 'dog.');
        if (!invoice || !dog) throw new Error('"INVOICE" or "dog." not found');
        // First line against last line, left edge: reading order and coordinates agree.
        expect(invoice.bbox.y1).toBeLessThan(dog.bbox.y0);
        expect(invoice.bbox.x0).toBeLessThan(200);
        expect(words.at(-1)?.text).toBe('dog.');
        expect(invoice.confidence).toBeGreaterThan(0.8);
      });
    });

    describe('reading order of a recognised page', () => {
      it("reads a receipt row by row: each right-aligned price on its item's line", async () => {
        const { text } = await engine.extract(await receiptPage());
        expect(text.trim().split('\n')).toEqual(receiptRows.map((row) => row.join(' ').trim()));
      });
    });

    describe('engine behaviour', () => {
      it('reports its model with the checksum of the traineddata file', () => {
        // Native: English among whatever else Debian's tessdata holds here (tesseract-ocr-<lang>).
        const tessdata = '/usr/share/tesseract-ocr/5/tessdata';
        const [file, version, languages] =
          kind === 'native'
            ? [
                `${tessdata}/eng.traineddata`,
                expect.stringMatching(/^native-5\./),
                readdirSync(tessdata)
                  .filter((name) => name.endsWith('.traineddata') && name !== 'osd.traineddata')
                  .map((name) => name.slice(0, -'.traineddata'.length))
                  .sort(),
              ]
            : [`${defaultLanguageDir()}/eng.traineddata.gz`, '4.0.0_best_int', ['eng']];
        expect(engine.languages).toEqual(languages);
        expect(engine.models).toContainEqual({
          name: 'tesseract-eng',
          version,
          sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
        });
        expect(engine.models.map((model) => model.name)).toEqual(
          engine.languages.map((code) => `tesseract-${code}`),
        );
      });

      it('refuses a language that is not installed, naming the ones that are', async () => {
        const image = readOcrFixture('hard-small.png');
        await expect(engine.extract(image, { languages: ['eng', 'xyz'] })).rejects.toMatchObject({
          code: 'VALIDATION_FAILED',
          message: expect.stringContaining(`available: ${engine.languages.join(', ')}`),
          details: { unknown: ['xyz'], available: engine.languages },
        });
        await expect(engine.extract(image, { languages: ['../../etc/passwd'] })).rejects.toMatchObject({
          code: 'VALIDATION_FAILED',
        });
      });

      it('reports progress that rises to 100', async () => {
        const seen: { pct: number; message: string }[] = [];
        await engine.extract(readOcrFixture('hard-small.png'), {
          onProgress: (pct, message) => seen.push({ pct, message }),
        });
        const pcts = seen.map((event) => event.pct);
        expect(pcts).toEqual([...pcts].sort((a, b) => a - b));
        expect(seen[0]).toEqual({ pct: 0, message: 'page 1/1: reading' });
        // tesseract.js reports within a page; the native CLI says nothing until it is done.
        const within = kind === 'native' ? 10 : 11;
        expect(seen.some((event) => event.message === 'page 1/1: recognizing' && event.pct >= within)).toBe(
          true,
        );
        expect(seen.at(-1)).toEqual({ pct: 100, message: 'done' });
      });

      it('keeps working when the progress listener throws', async () => {
        const result = await engine.extract(readOcrFixture('hard-small.png'), {
          onProgress: () => {
            throw new Error('listener bug');
          },
        });
        expect(characterErrorRate(result.text, invoiceText())).toBeLessThanOrEqual(0.02);
      });

      it('stops before work when the signal is already aborted', async () => {
        const controller = new AbortController();
        controller.abort(new Error('canceled by test'));
        await expect(
          engine.extract(readOcrFixture('hard-small.png'), { signal: controller.signal }),
        ).rejects.toThrow('canceled by test');
      });

      it('queues concurrent jobs on its one recognizer and stays usable', async () => {
        const image = readOcrFixture('hard-small.png');
        const results = await Promise.all([engine.extract(image), engine.extract(image)]);
        for (const result of results) {
          expect(characterErrorRate(result.text, invoiceText())).toBeLessThanOrEqual(0.02);
        }
      });
    });
  });
}

describe('engine options', () => {
  it('rejects bad options at creation', async () => {
    await expect(createOcrEngine({ poolSize: 0 })).rejects.toThrow(/poolSize/);
    await expect(createOcrEngine({ langDir: '/nonexistent' })).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
    });
  });

  it('refuses to start the native engine without its CLI, saying what to install', async () => {
    await expect(
      createOcrEngine({ engine: 'native', tesseractPath: '/nonexistent/tesseract' }),
    ).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: expect.stringMatching(/OCR_ENGINE=native.*install Debian's tesseract-ocr.*OCR_TESSERACT_PATH/),
    });
    await expect(createOcrEngine({ engine: 'native', tesseractPath: '/bin/true' })).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: expect.stringContaining('is not the tesseract CLI'),
    });
  });
});
