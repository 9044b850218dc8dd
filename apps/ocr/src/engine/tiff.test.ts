// Unit test of the page file both recognizers read; the native CLI's reading of it where the CLI is installed.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { nativeTesseractMissing } from '../testing/ocr-engine-kinds.js';
import { readOcrFixture } from '../testing/ocr-fixtures.js';
import type { GreyImage } from './grey-image.js';
import { toTiff } from './tiff.js';

const run = promisify(execFile);

// An odd width: 8-bit rows are not padded, so a writer that padded them would shear the image.
const gradient: GreyImage = {
  width: 7,
  height: 5,
  data: Buffer.from(Array.from({ length: 35 }, (_, i) => (i * 37) % 256)),
};

describe('toTiff', () => {
  it('holds the same grey pixels, as one channel, with no resolution', async () => {
    const tiff = toTiff(gradient);
    const metadata = await sharp(tiff).metadata();
    expect(metadata).toMatchObject({
      format: 'tiff',
      width: 7,
      height: 5,
      channels: 1,
      space: 'b-w',
      pages: 1,
    });
    expect(metadata.density).toBeUndefined();
    const { data } = await sharp(tiff).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    expect(data).toEqual(gradient.data);
  });

  it('refuses pixels that do not fill the size given', () => {
    expect(() => toTiff({ ...gradient, height: 6 })).toThrow(
      'expected 7×6 one-byte grey pixels, got 35 bytes',
    );
  });

  it.skipIf(nativeTesseractMissing !== null)(
    `is read by the native CLI without a resolution warning${nativeTesseractMissing ? ` — skipped: ${nativeTesseractMissing}` : ''}`,
    async () => {
      const { data, info } = await sharp(readOcrFixture('hard-small.png'))
        .toColourspace('b-w')
        .raw()
        .toBuffer({ resolveWithObject: true });
      const dir = await mkdtemp(path.join(tmpdir(), 'gantry-tiff-'));
      try {
        const file = path.join(dir, 'page.tif');
        await writeFile(file, toTiff({ data, width: info.width, height: info.height }));
        const { stdout, stderr } = await run('tesseract', [file, 'stdout', '--oem', '1', '--psm', '6'], {
          env: { ...process.env, OMP_THREAD_LIMIT: '1' },
        });
        expect(stdout.trim().length).toBeGreaterThan(0);
        expect(stderr).not.toMatch(/resolution/i);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
