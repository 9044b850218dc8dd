// Real files: a temporary language directory, and the English traineddata shipped in npm.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLanguageDir, languageFile, readLanguageData } from './language-data.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'gantry-tesseract-languages-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const npm = { dir: defaultLanguageDir(), gzip: true };

describe('readLanguageData', () => {
  it('lists the traineddata files of a directory, each announced with its sha256', async () => {
    const dir = path.join(root, '4.0.0_test');
    await mkdir(dir);
    const source = { dir, gzip: true };
    const deu = Buffer.from('not really German');
    await writeFile(languageFile(source, 'deu'), deu);
    await writeFile(languageFile(source, 'eng'), await readFile(languageFile(npm, 'eng')));
    await writeFile(path.join(dir, 'README'), 'not a language');

    const data = await readLanguageData(dir);
    expect(data.dir).toBe(dir);
    expect(data.gzip).toBe(true);
    expect(data.codes).toEqual(['deu', 'eng']);
    expect(data.models).toEqual([
      { name: 'tesseract-deu', version: '4.0.0_test', sha256: sha256(deu) },
      {
        name: 'tesseract-eng',
        version: '4.0.0_test',
        sha256: sha256(await readFile(languageFile(npm, 'eng'))),
      },
    ]);
  });

  it("reads a directory of plain traineddata files, as Debian's tessdata, leaving out the orientation model", async () => {
    const dir = path.join(root, 'tessdata');
    await mkdir(path.join(dir, 'configs'), { recursive: true });
    const eng = gunzipSync(await readFile(languageFile(npm, 'eng')));
    await writeFile(path.join(dir, 'eng.traineddata'), eng);
    await writeFile(path.join(dir, 'osd.traineddata'), 'orientation and script');
    await writeFile(path.join(dir, 'pdf.ttf'), 'a font');

    const data = await readLanguageData(dir);
    expect(data).toMatchObject({ dir, gzip: false, codes: ['eng'] });
    expect(languageFile(data, 'eng')).toBe(path.join(dir, 'eng.traineddata'));
    expect(data.models).toEqual([{ name: 'tesseract-eng', version: 'tessdata', sha256: sha256(eng) }]);
  });

  it('is MODEL_UNAVAILABLE when a directory holds both kinds, so no language is read from a file nobody chose', async () => {
    const dir = path.join(root, 'mixed');
    await mkdir(dir);
    await writeFile(path.join(dir, 'eng.traineddata.gz'), 'packed');
    await writeFile(path.join(dir, 'deu.traineddata'), 'plain');
    await expect(readLanguageData(dir)).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      message: expect.stringContaining('(eng) and *.traineddata (deu)'),
      details: { dir },
    });
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
    // Only tesseract's orientation model: no language.
    await writeFile(path.join(empty, 'osd.traineddata'), 'orientation and script');
    await expect(readLanguageData(empty)).rejects.toMatchObject({
      code: 'MODEL_UNAVAILABLE',
      details: { dir: empty },
    });
  });
});
