import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readTiffPageSizes } from './read-tiff-page-sizes.js';
import { manyPagesTiff } from './testing/many-pages-tiff.js';

// TIFFs written by sharp (libtiff), classic and BigTIFF, and by hand where a test needs a broken chain.

describe('readTiffPageSizes', () => {
  it('gives every page size as libvips reads it, classic and BigTIFF, up to the count asked', async () => {
    const multi = sharp(Buffer.alloc(40 * 90, 128), {
      raw: { width: 40, height: 90, channels: 1, pageHeight: 30 },
    });
    for (const bigtiff of [false, true]) {
      const tiff = await multi.clone().tiff({ compression: 'lzw', bigtiff }).toBuffer();
      expect(readTiffPageSizes(tiff, 10), `bigtiff ${bigtiff}`).toEqual([
        { width: 40, height: 30 },
        { width: 40, height: 30 },
        { width: 40, height: 30 },
      ]);
      expect(readTiffPageSizes(tiff, 2)).toHaveLength(2);
    }
    expect(readTiffPageSizes(manyPagesTiff(1000), 5000)).toHaveLength(1000);
  });

  it('gives null for a chain that does not read plainly: a loop, a directory past the end, not a TIFF', () => {
    // The second page's directory points back at the first.
    const looped = manyPagesTiff(2);
    const second = 8 + (2 + 8 * 12 + 4) + 16 * 16;
    looped.writeUInt32LE(8, second + 2 + 8 * 12);
    expect(readTiffPageSizes(looped, 10)).toBeNull();
    expect(readTiffPageSizes(manyPagesTiff(2).subarray(0, 40), 10)).toBeNull();
    expect(readTiffPageSizes(Buffer.from('%PDF-1.7\n'), 10)).toBeNull();
  });
});
