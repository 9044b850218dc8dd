// Model test: the real tesseract.js engine on a copy of its language directory where one traineddata
// file is cut short, as an interrupted download or a full disk leaves it.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { characterErrorRate } from '../testing/character-error-rate.js';
import { invoiceText, readOcrFixture } from '../testing/ocr-fixtures.js';
import { defaultLanguageDir } from '@gantry/tesseract-languages';
import { createOcrEngine } from './ocr-engine.js';

const eng = path.join(defaultLanguageDir(), 'eng.traineddata.gz');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gantry-ocr-broken-model-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A language directory named `name` holding `files`: a code and how many leading bytes of eng it keeps. */
async function languageDir(name: string, files: Record<string, number | 'all'>): Promise<string> {
  const target = path.join(dir, name);
  await mkdir(target);
  const bytes = await readFile(eng);
  for (const [code, keep] of Object.entries(files)) {
    const file = path.join(target, `${code}.traineddata.gz`);
    if (keep === 'all') await copyFile(eng, file);
    else await writeFile(file, bytes.subarray(0, keep));
  }
  return target;
}

describe('a truncated traineddata file', () => {
  it('fails the engine start as MODEL_UNAVAILABLE naming the file', async () => {
    const langDir = await languageDir('warm', { eng: 100_000 });
    await expect(createOcrEngine({ langDir })).rejects.toMatchObject({
      name: 'GantryError',
      code: 'MODEL_UNAVAILABLE',
      message: expect.stringContaining('eng'),
      details: { languages: ['eng'], files: [path.join(langDir, 'eng.traineddata.gz')] },
    });
  }, 60_000);

  it('fails a job that asks for that language as MODEL_UNAVAILABLE, and the engine reads the next job', async () => {
    const langDir = await languageDir('second', { eng: 'all', deu: 100_000 });
    const engine = await createOcrEngine({ langDir });
    try {
      const image = readOcrFixture('hard-small.png');
      await expect(engine.extract(image, { languages: ['deu'] })).rejects.toMatchObject({
        name: 'GantryError',
        code: 'MODEL_UNAVAILABLE',
        message: expect.stringContaining('deu'),
        details: { languages: ['deu'], files: [path.join(langDir, 'deu.traineddata.gz')] },
      });
      const result = await engine.extract(image);
      expect(characterErrorRate(result.text, invoiceText())).toBeLessThanOrEqual(0.02);
    } finally {
      await engine.close();
    }
  }, 60_000);
});
