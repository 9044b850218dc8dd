import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { OcrExtractOutput } from '@gantry/contracts';
import { characterErrorRate } from '@gantry/ocr-worker/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineStack, fixturesDir, startEngineStack, workerModule } from './engine-stack.js';

// Real: gateway over HTTP, Redis queue, Postgres, the OCR worker (tesseract.js) with OCR_LANGUAGE_DIR
// naming a directory of plain traineddata files, as Debian's tessdata holds them: npm's English
// unpacked, as `eng` and as `xyz`, a code only this directory has.
const fixture = (name: string) => readFileSync(path.join(fixturesDir, 'ocr', name));
const invoice = fixture('invoice-clean.png');
/** npm's English, as the OCR worker finds it by default. */
const npmEnglish = path.join(
  path.dirname(createRequire(workerModule('ocr')).resolve('@tesseract.js-data/eng')),
  '4.0.0_best_int',
  'eng.traineddata.gz',
);

let root: string;
let english: Buffer;
let stack: EngineStack;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'gantry-e2e-tessdata-'));
  const tessdata = path.join(root, 'tessdata');
  await mkdir(tessdata);
  english = gunzipSync(await readFile(npmEnglish));
  await writeFile(path.join(tessdata, 'eng.traineddata'), english);
  await writeFile(path.join(tessdata, 'xyz.traineddata'), english);
  stack = await startEngineStack('ocrlangs', [
    { module: workerModule('ocr'), app: 'ocr', concurrency: 1, env: { OCR_LANGUAGE_DIR: tessdata } },
  ]);
}, 120_000);
afterAll(async () => {
  await stack?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('ocr.extract on the languages of OCR_LANGUAGE_DIR', () => {
  it('reads a page in a language only that directory has, and names its file as the model', async () => {
    const job = await stack.client.uploadAndWait<OcrExtractOutput>(
      'ocr.extract',
      { bytes: invoice, filename: 'invoice-clean.png' },
      { languages: ['xyz'] },
    );
    expect(job.status).toBe('succeeded');
    expect(job.model).toEqual({
      name: 'tesseract-xyz',
      version: 'tessdata',
      sha256: createHash('sha256').update(english).digest('hex'),
    });
    const truth = fixture('invoice.gt.txt').toString('utf8');
    expect(characterErrorRate(job.output?.text ?? '', truth)).toBeLessThanOrEqual(0.02);
  });

  it('refuses a language the directory lacks, naming the ones it has', async () => {
    const job = await stack.client.uploadAndWait(
      'ocr.extract',
      { bytes: invoice, filename: 'invoice-clean.png' },
      { languages: ['deu'] },
    );
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { unknown: ['deu'], available: ['eng', 'xyz'] },
    });
  });
});
