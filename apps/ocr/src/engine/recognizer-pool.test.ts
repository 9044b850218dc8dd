// Real recognizers (processes running tesseract.js with the English model) behind the pool.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { characterErrorRate } from '../testing/character-error-rate.js';
import { invoiceText, readOcrFixture } from '../testing/ocr-fixtures.js';
import { defaultLanguageDir } from '@gantry/tesseract-languages';
import { type GreyImage, toGreyImage } from './grey-image.js';
import { defaultPreprocessing } from './preprocessing.js';
import type { RecognizedText } from './recognized-text.js';
import { RecognizerPool } from './recognizer-pool.js';
import { RecognizerProcess } from './recognizer-process.js';

const wordsOf = ({ lines }: RecognizedText): string =>
  lines.map((line) => line.map((word) => word.text).join(' ')).join('\n');

const startProcess = () => RecognizerProcess.start(['eng'], { dir: defaultLanguageDir(), gzip: true });

let pool: RecognizerPool;
let page: GreyImage;
beforeAll(async () => {
  pool = await RecognizerPool.start(1, startProcess);
  page = await toGreyImage(sharp(readOcrFixture('hard-small.png')));
});
afterAll(() => pool.close());

describe('RecognizerPool', () => {
  it('replaces a recognizer that broke, and the next job gets a working one', async () => {
    await expect(
      pool.use(async (recognizer) => {
        await recognizer.terminate();
        return recognizer.readPage(page, ['eng'], defaultPreprocessing);
      }),
    ).rejects.toThrow('recognizer terminated');
    const text = await pool.use(async (recognizer) =>
      wordsOf((await recognizer.readPage(page, ['eng'], defaultPreprocessing)).text),
    );
    expect(characterErrorRate(text, invoiceText())).toBeLessThanOrEqual(0.02);
    expect(pool.size).toBe(1);
  });

  it('lets a waiting job leave the queue when its signal aborts', async () => {
    let release = (): void => undefined;
    const holding = pool.use(() => new Promise<void>((resolve) => (release = resolve)));
    const controller = new AbortController();
    const waiting = pool.use(async () => 'ran', controller.signal);
    controller.abort(new Error('canceled while queued'));
    await expect(waiting).rejects.toThrow('canceled while queued');
    release();
    await holding;
    await expect(pool.use(async () => 'next')).resolves.toBe('next');
  });

  it('starts one recognizer warm and a second only when work waits, up to its limit', async () => {
    const growing = await RecognizerPool.start(2, startProcess);
    try {
      expect(growing.size).toBe(1);
      // The first holds its recognizer until the second work runs: only a second recognizer can run it.
      let arrived = (): void => undefined;
      const secondRan = new Promise<void>((resolve) => (arrived = resolve));
      const first = growing.use(() => secondRan);
      const second = growing.use(async (recognizer) => {
        arrived();
        return wordsOf((await recognizer.readPage(page, ['eng'], defaultPreprocessing)).text);
      });
      await first;
      expect(characterErrorRate(await second, invoiceText())).toBeLessThanOrEqual(0.02);
      expect(growing.size).toBe(2);
    } finally {
      await growing.close();
    }
    // A process start (tsx from sources) takes seconds on a loaded machine.
  }, 120_000);

  it('refuses work once closed', async () => {
    const closing = await RecognizerPool.start(1, startProcess);
    await closing.close();
    await expect(closing.use(async () => 'never')).rejects.toThrow('closed');
  });
});
