// Real pdf.js on PDFs built by ../../testing/pdf-fixtures.ts: a scanner's page is read straight
// from its image, byte for byte what the canvas draws; any page the canvas would draw otherwise is left to it.
import { rgb } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readOcrFixture } from '../../testing/ocr-fixtures.js';
import { bitonalPdf, faxPdf, hugeMediaBoxPdf, mixedPdf, rotatedScanPdf } from '../../testing/pdf-fixtures.js';
import { pageOperators } from './page-operators.js';
import { getDocument } from './pdfjs.js';
import { renderPdfPage } from './render-pdf-page.js';
import { solePageImage } from './sole-page-image.js';

const scan = readOcrFixture('invoice-clean.png');

/** The first page's sole image at `dpi`, as renderPdfPage would size its canvas, and that canvas's own pixels. */
async function bothWays(bytes: Uint8Array, dpi = 300) {
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  const pdf = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 })
    .promise;
  try {
    const page = await pdf.getPage(1);
    const operators = await pageOperators(page);
    const viewport = page.getViewport({ scale: dpi / 72 });
    const size = { width: Math.floor(viewport.width), height: Math.floor(viewport.height) };
    const direct = await solePageImage(page, operators, viewport, size);
    const { image: drawn } = await renderPdfPage(page, dpi, 50_000_000);
    return { direct, drawn };
  } finally {
    await pdf.destroy();
  }
}

describe('solePageImage', () => {
  it("reads a scanner's page from its image, the canvas's very pixels: grey, colour, 1-bit, a fax's mask", async () => {
    const colour = await sharp(scan).tint('#c04020').png().toBuffer();
    const cases: [string, Uint8Array][] = [
      ['grey scan', await mixedPdf([{ scan }])],
      ['colour scan', await mixedPdf([{ scan: colour }])],
      ['1-bit scan', await bitonalPdf(scan)],
      ['fax (an image mask)', await faxPdf(scan)],
    ];
    for (const [name, bytes] of cases) {
      const { direct, drawn } = await bothWays(bytes);
      expect(direct, name).not.toBeNull();
      expect([name, direct?.width, direct?.height]).toEqual([name, drawn.width, drawn.height]);
      expect(direct?.data.equals(drawn.data), name).toBe(true);
    }
  });

  it('leaves to the canvas a page whose image it would draw otherwise: resized, turned, in strips or colour, part of the page', async () => {
    const cases: [string, Uint8Array, number][] = [
      ['a 200 dpi scan at 300 dpi', await mixedPdf([{ scan, dpi: 200 }]), 300],
      ['a page turned for display', await rotatedScanPdf(scan), 300],
      ['a fax in 12 strips', await faxPdf(scan, 12), 300],
      ['a fax in red ink', await faxPdf(scan, 1, rgb(0.8, 0, 0)), 300],
      ['an image on part of a page', await hugeMediaBoxPdf(scan), 0.05],
    ];
    for (const [name, bytes, dpi] of cases) {
      const { direct } = await bothWays(bytes, dpi);
      expect([name, direct]).toEqual([name, null]);
    }
  });
});
