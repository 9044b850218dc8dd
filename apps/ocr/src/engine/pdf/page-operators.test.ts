// Real pdf.js on PDFs built by ../../testing/pdf-fixtures.ts: what a page paints, measured from the
// operator list that the render then draws from, without changing a pixel of the render.
import { createHash } from 'node:crypto';
import { getDocument, type PDFDocumentProxy, type PDFPageProxy } from './pdfjs.js';
import { describe, expect, it } from 'vitest';
import { readOcrFixture } from '../../testing/ocr-fixtures.js';
import { faxPdf, inlineTilesPdf, mixedPdf, textPdf } from '../../testing/pdf-fixtures.js';
import { formScanPdf } from '../../testing/pdf-page-content-fixtures.js';
import { pageOperators } from './page-operators.js';
import { pagePaint } from './page-paint.js';
import { renderPdfPage } from './render-pdf-page.js';

const scan = readOcrFixture('invoice-clean.png');

async function firstPage(bytes: Uint8Array): Promise<{ pdf: PDFDocumentProxy; page: PDFPageProxy }> {
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  const pdf = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 })
    .promise;
  return { pdf, page: await pdf.getPage(1) };
}

async function renderedHash(page: PDFPageProxy): Promise<string> {
  const { image } = await renderPdfPage(page, 300, 50_000_000);
  return createHash('sha256').update(image.data).digest('hex');
}

describe('pageOperators and pagePaint', () => {
  it('measure the images a scan, a fax (an image mask) whole or in strips and inline tiles cover, and none on a text page', async () => {
    // [case, PDF, share of the page under images, anything painted besides text]
    const cases: [string, Uint8Array, number, boolean][] = [
      ['scan', await mixedPdf([{ scan }]), 1, true],
      ['fax', await faxPdf(scan), 1, true],
      // Only the render's list has these as one group operation: it must still count, each strip in its place.
      ['fax in 12 strips', await faxPdf(scan, 12), 1, true],
      // Twelve 24 pt squares on an A4 page.
      ['12 inline tiles', await inlineTilesPdf(), (12 * 24 * 24) / (595 * 842), true],
      // Inside a form XObject whose /Matrix halves it (pdf.js gives the matrix as a Float32Array).
      ['scan in a form at half size', await formScanPdf(scan, 0.5), 0.25, true],
      ['text', await textPdf([[{ x: 72, y: 72, text: 'The end' }]]), 0, false],
    ];
    for (const [name, bytes, cover, paints] of cases) {
      const { pdf, page } = await firstPage(bytes);
      const paint = pagePaint(await pageOperators(page), page.getViewport({ scale: 1 }));
      expect([name, paint.imageCover, paint.paintsBesidesText]).toEqual([
        name,
        expect.closeTo(cover, 3),
        paints,
      ]);
      await pdf.destroy();
    }
  });

  it('leaves its operator list, images decoded, to the render, which draws the same pixels', async () => {
    for (const bytes of [await mixedPdf([{ scan }]), await faxPdf(scan, 12)]) {
      const alone = await firstPage(bytes);
      const unasked = await renderedHash(alone.page);
      await alone.pdf.destroy();

      const { pdf, page } = await firstPage(bytes);
      await pageOperators(page);
      expect(await renderedHash(page)).toBe(unasked);
      // One list, keyed as the render keys it: getOperatorList() would have built a second one.
      expect(page._intentStates.size).toBe(1);
      await pdf.destroy();
    }
  });
});
