// Real files: a temporary language directory, and the English traineddata shipped in npm.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLanguageDir, languageFile, readLanguageData } from './language-data.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'gantry-tesseract-languages-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('readLanguageData', () => {
  it('lists the traineddata files of a directory, each announced with its sha256', async () => {
    const dir = path.join(root, '4.0.0_test');
    await mkdir(dir);
    const deu = Buffer.from('not really German');
    await writeFile(languageFile(dir, 'deu'), deu);
    await writeFile(languageFile(dir, 'eng'), await readFile(languageFile(defaultLanguageDir(), 'eng')));
    await writeFile(path.join(dir, 'README'), 'not a language');

    const data = await readLanguageData(dir);
    expect(data.dir).toBe(dir);
    expect(data.codes).toEqual(['deu', 'eng']);
    expect(data.models).toEqual([
      { name: 'tesseract-deu', version: '4.0.0_test', sha256: sha256(deu) },
      {
        name: 'tesseract-eng',
        version: '4.0.0_test',
        sha256: sha256(await readFile(languageFile(defaultLanguageDir(), 'eng'))),
      },
    ]);
  });

  it('answers the requested languages once each, or VALIDATION_FAILED naming those installed', async () => {
    const data = await readLanguageData(defaultLanguageDir());
    expect(data.resolve(['eng', 'eng'])).toEqual(['eng']);
    expect(() => data.resolve(['eng', 'xyz'])).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        details: { path: ['languages'], unknown: ['xyz'], available: ['eng'] },
      }),
    );
    expect(() => data.resolve([])).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('is MODEL_UNAVAILABLE naming the directory when it is missing or holds no traineddata', async () => {
    const missing = path.join(root, 'missing');
    await expect(readLanguageData(missing)).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      details: { dir: missing },
    });
    const empty = path.join(root, 'empty');
    await mkdir(empty);
    await expect(readLanguageData(empty)).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      details: { dir: empty },
    });
  });
});
