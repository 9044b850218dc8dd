// Model test: one warm native tesseract reading pages in turn, against Debian's CLI run per page on the
// same files. Skipped, saying what to install, where the CLI is missing.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { isRunning } from '../testing/child-processes.js';
import { nativeTesseractMissing } from '../testing/ocr-engine-kinds.js';
import { readOcrFixture } from '../testing/ocr-fixtures.js';
import type { GreyImage } from './grey-image.js';
import { TesseractStream, UnlinkedPage } from './tesseract-stream.js';

const run = promisify(execFile);
const args = ['--oem', '1', '--psm', '6', '-l', 'eng'];

async function grey(fixture: string): Promise<GreyImage> {
  const { data, info } = await sharp(readOcrFixture(fixture))
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The rows the CLI writes for the page in a process of its own, less the page number (column 2). */
async function perPage(file: UnlinkedPage): Promise<string[]> {
  const { stdout } = await run('tesseract', [file.path, 'stdout', ...args, 'tsv'], {
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  });
  return stdout.trimEnd().split('\n').slice(1).map(withoutPageNumber);
}

const withoutPageNumber = (row: string): string => row.split('\t').toSpliced(1, 1).join('\t');

describe.skipIf(nativeTesseractMissing !== null)(
  `TesseractStream${nativeTesseractMissing ? ` — skipped: ${nativeTesseractMissing}` : ''}`,
  () => {
    const streams: TesseractStream[] = [];
    const files: UnlinkedPage[] = [];
    const start = async () => {
      const stream = await TesseractStream.start('tesseract', args);
      streams.push(stream);
      return stream;
    };
    const page = async (fixture: string) => {
      const file = await UnlinkedPage.write(await grey(fixture));
      files.push(file);
      return file;
    };
    afterEach(async () => {
      await Promise.all(streams.splice(0).map((stream) => stream.kill()));
      await Promise.all(files.splice(0).map((file) => file.close()));
    });

    it('reads page after page in one process, each as a process of its own reads it', async () => {
      const stream = await start();
      const pages = [await page('invoice-clean.png'), await page('hard-small.png')];
      for (const file of [...pages, ...pages]) {
        const rows = await stream.read(file.path);
        expect(rows.map(withoutPageNumber)).toEqual(await perPage(file));
      }
      expect(stream.ended).toBe(false);
    }, 60_000);

    it('fails the page with what tesseract said when it cannot read the file, and has ended', async () => {
      const stream = await start();
      await expect(stream.read('/nonexistent/page.tif')).rejects.toThrow(/tesseract ended \(exit code \d+\)/);
      expect(stream.ended).toBe(true);
      // Asked again, it says why it ended.
      await expect(stream.read((await page('hard-small.png')).path)).rejects.toThrow(
        /tesseract ended \(exit code \d+\)/,
      );
    }, 60_000);

    it('gives a page asked after the CLI ended on a language it could not load what the CLI said', async () => {
      // The CLI ends as soon as the file will not load, often before the first page has been written: the
      // page must still hear "Could not initialize tesseract." (the recognizer's MODEL_UNAVAILABLE).
      const tessdata = await mkdtemp(path.join(tmpdir(), 'gantry-stream-tessdata-'));
      try {
        const english = await readFile('/usr/share/tesseract-ocr/5/tessdata/eng.traineddata');
        await writeFile(path.join(tessdata, 'abc.traineddata'), english.subarray(0, 100_000));
        const stream = await TesseractStream.start('tesseract', ['--tessdata-dir', tessdata, '-l', 'abc']);
        streams.push(stream);
        await expect.poll(() => stream.ended, { timeout: 10_000 }).toBe(true);
        await expect(stream.read((await page('hard-small.png')).path)).rejects.toThrow(
          /Could not initialize tesseract\.$/,
        );
      } finally {
        await rm(tessdata, { recursive: true, force: true });
      }
    }, 60_000);

    it('loses the page being read when killed, and the process is gone', async () => {
      const stream = await start();
      const reading = stream.read((await page('invoice-noisy.jpg')).path);
      const pid = stream.pid ?? 0;
      await stream.kill();
      await expect(reading).rejects.toThrow('tesseract ended (SIGKILL)');
      expect(isRunning(pid)).toBe(false);
    }, 60_000);
  },
);
