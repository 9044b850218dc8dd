// Model test: both engines on a language directory of plain `<code>.traineddata` files, as Debian's
// tessdata and tesseract's own repositories lay them out (OCR_LANGUAGE_DIR). Its files: npm's English
// unpacked, once as `eng` and once as `xyz`, a code neither engine has by default, so reading a page
// "in xyz" proves the page was read from this directory; and `abc`, cut short.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { defaultLanguageDir } from '@gantry/tesseract-languages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { characterErrorRate } from '../testing/character-error-rate.js';
import {
  engineTitle,
  nativeTessdata,
  nativeTesseractMissing,
  ocrEngineKinds,
} from '../testing/ocr-engine-kinds.js';
import { pageImage } from '../testing/page-images.js';
import { invoiceText, readOcrFixture } from '../testing/ocr-fixtures.js';
import { createOcrEngine, type OcrEngine } from './ocr-engine.js';

let root: string;
let tessdata: string;
let english: Buffer;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'gantry-ocr-language-dir-'));
  tessdata = path.join(root, 'tessdata');
  await mkdir(tessdata);
  english = gunzipSync(await readFile(path.join(defaultLanguageDir(), 'eng.traineddata.gz')));
  await writeFile(path.join(tessdata, 'eng.traineddata'), english);
  await writeFile(path.join(tessdata, 'xyz.traineddata'), english);
  await writeFile(path.join(tessdata, 'abc.traineddata'), english.subarray(0, 100_000));
  // Tesseract's orientation model sits beside the languages in a tessdata directory; it is not one.
  await writeFile(path.join(tessdata, 'osd.traineddata'), english.subarray(0, 1_000));
});
afterAll(() => rm(root, { recursive: true, force: true }));

for (const { kind, skip } of ocrEngineKinds) {
  describe.skipIf(skip !== null)(`${engineTitle({ kind, skip })}, languages from a directory`, () => {
    let engine: OcrEngine;
    beforeAll(async () => {
      engine = await createOcrEngine({ engine: kind, langDir: tessdata });
    });
    afterAll(() => engine?.close());

    it("announces that directory's languages, each with its file's sha256", () => {
      const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
      expect(engine.models.map((model) => [model.name, model.sha256])).toEqual([
        ['tesseract-abc', sha256(english.subarray(0, 100_000))],
        ['tesseract-eng', sha256(english)],
        ['tesseract-xyz', sha256(english)],
      ]);
    });

    it('reads a page in a language only that directory has', async () => {
      const result = await engine.extract(readOcrFixture('invoice-clean.png'), { languages: ['xyz'] });
      expect(characterErrorRate(result.text, invoiceText())).toBeLessThanOrEqual(0.02);
    }, 60_000);

    it('fails a job in a language whose file is cut short, and reads the next one', async () => {
      await expect(
        engine.extract(readOcrFixture('invoice-clean.png'), { languages: ['abc'] }),
      ).rejects.toMatchObject({
        code: 'MODEL_UNAVAILABLE',
        details: { languages: ['abc'], files: [path.join(tessdata, 'abc.traineddata')] },
      });
      const result = await engine.extract(readOcrFixture('invoice-clean.png'), { languages: ['eng'] });
      expect(characterErrorRate(result.text, invoiceText())).toBeLessThanOrEqual(0.02);
    }, 60_000);
  });
}

// Debian's own tessdata, as the OCR image holds it: German (tesseract-ocr-deu) beside English, both
// tessdata_fast models, read by either engine with OCR_LANGUAGE_DIR naming that directory.
const germanMissing =
  nativeTessdata === null
    ? 'no tesseract CLI (apt-get install tesseract-ocr)'
    : nativeTessdata.codes.includes('deu')
      ? null
      : 'no German in the CLI tessdata (apt-get install tesseract-ocr-deu)';
describe.skipIf(germanMissing !== null)(
  `German from Debian's tessdata${germanMissing ? ` — skipped: ${germanMissing}` : ''}`,
  () => {
    const lines = [
      'Sehr geehrte Frau Müller,',
      'die Größe der Lieferung für Straße 12',
      'wurde geändert. Grüße aus Köln',
    ];
    let letter: Buffer;
    beforeAll(async () => {
      letter = await pageImage(
        1600,
        500,
        lines.map((text, i) => ({ x: 60, y: 100 + 110 * i, text })),
      );
    });

    for (const { kind, skip } of ocrEngineKinds) {
      it.skipIf(skip !== null)(
        `${engineTitle({ kind, skip })}: umlauts and ß in deu, lost in eng`,
        async () => {
          const engine = await createOcrEngine({ engine: kind, langDir: nativeTessdata?.dir });
          try {
            const german = await engine.extract(letter, { languages: ['deu'] });
            expect(characterErrorRate(german.text, lines.join('\n'))).toBeLessThanOrEqual(0.02);
            const english = await engine.extract(letter, { languages: ['eng'] });
            expect(english.text).not.toMatch(/[äöüß]/);
          } finally {
            await engine.close();
          }
        },
        60_000,
      );
    }
  },
);

describe('a language directory the engine cannot use', () => {
  it('is MODEL_UNAVAILABLE for tesseract.js when it mixes packed and plain files', async () => {
    const mixed = path.join(root, 'mixed');
    await mkdir(mixed);
    await writeFile(path.join(mixed, 'eng.traineddata'), english);
    await writeFile(path.join(mixed, 'deu.traineddata.gz'), 'packed');
    await expect(createOcrEngine({ langDir: mixed })).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
  });

  it.skipIf(nativeTesseractMissing !== null)(
    "is MODEL_UNAVAILABLE for the native CLI when it holds only npm's packed files, saying the CLI reads plain ones",
    async () => {
      await expect(
        createOcrEngine({ engine: 'native', langDir: defaultLanguageDir() }),
      ).rejects.toMatchObject({
        code: 'MODEL_UNAVAILABLE',
        message: expect.stringMatching(/OCR_LANGUAGE_DIR.*plain ones, not \.traineddata\.gz/),
      });
    },
  );
});
