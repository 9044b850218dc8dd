// PDFs built by ../../testing/ (pdf-lib), and image dictionaries written out by hand where a test
// needs one pdf-lib would not write.
import { describe, expect, it } from 'vitest';
import { readOcrFixture } from '../../testing/ocr-fixtures.js';
import { faxPdf, mixedPdf, textPdf } from '../../testing/pdf-fixtures.js';
import { largeScanPdf } from '../../testing/pdf-page-content-fixtures.js';
import { largestDeclaredImage } from './largest-declared-image.js';

const scan = readOcrFixture('invoice-clean.png');
// The invoice at 150 dpi: a second, smaller image.
const smallScan = readOcrFixture('hard-small.png');

describe('largestDeclaredImage', () => {
  it('finds the largest image of a PDF, an image mask too, and none in a text PDF', async () => {
    const largest = async (pdf: Uint8Array) => largestDeclaredImage(Buffer.from(pdf));
    expect(await largest(await mixedPdf([{ scan }, { scan: smallScan }]))).toEqual({
      width: 1839,
      height: 733,
    });
    expect(await largest(await faxPdf(scan, 12))).toEqual({ width: 1839, height: 62 });
    expect(await largest(await largeScanPdf(4000, 2500))).toEqual({ width: 4000, height: 2500 });
    expect(
      await largest(await textPdf([[{ x: 72, y: 72, text: '/Subtype /Image /Width 9999' }]])),
    ).toBeNull();
  });

  it('reads only the image dictionary: not a neighbour, not a size given by reference', () => {
    const file = Buffer.from(
      [
        '4 0 obj << /Type /XObject /Subtype /Form /Width 90000 /Height 90000 >> stream\nq Q\nendstream endobj',
        '5 0 obj << /Subtype/Image /Width 300 /Height 200 /ColorSpace /DeviceGray >> stream\n…\nendstream endobj',
        '6 0 obj << /Subtype /Image /Width 12 0 R /Height 50000 /ImageMask true >> stream\n…\nendstream endobj',
        '7 0 obj << /ProcSet [/PDF /ImageB /ImageC] >> endobj',
      ].join('\n'),
      'latin1',
    );
    expect(largestDeclaredImage(file)).toEqual({ width: 300, height: 200 });
  });
});
