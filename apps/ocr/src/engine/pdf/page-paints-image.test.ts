// Real pdf.js on PDFs built by ../../testing/pdf-fixtures.ts: the image test and the render share
// one operator list, and the test changes no pixel of the render.
import { createHash } from 'node:crypto';
import { getDocument, type PDFDocumentProxy, type PDFPageProxy } from './pdfjs.js';
import { describe, expect, it } from 'vitest';
import { readOcrFixture } from '../../testing/ocr-fixtures.js';
import { faxPdf, inlineTilesPdf, mixedPdf, textPdf } from '../../testing/pdf-fixtures.js';
import { operatorsPaintingImage } from './page-paints-image.js';
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

describe('operatorsPaintingImage', () => {
  it('finds a scan, a fax (an image mask) whole or in strips, inline tiles, and no image on a text page', async () => {
    const cases: [string, Uint8Array, boolean][] = [
      ['scan', await mixedPdf([{ scan }]), true],
      ['fax', await faxPdf(scan), true],
      ['fax in 12 strips', await faxPdf(scan, 12), true],
      // Only the render's list has these as one group operation: it must still count.
      ['12 inline tiles', await inlineTilesPdf(), true],
      ['text', await textPdf([[{ x: 72, y: 72, text: 'The end' }]]), false],
    ];
    for (const [name, bytes, expected] of cases) {
      const { pdf, page } = await firstPage(bytes);
      expect([name, (await operatorsPaintingImage(page)) !== null]).toEqual([name, expected]);
      await pdf.destroy();
    }
  });

  it('leaves its operator list, images decoded, to the render, which draws the same pixels', async () => {
    for (const bytes of [await mixedPdf([{ scan }]), await faxPdf(scan, 12)]) {
      const alone = await firstPage(bytes);
      const unasked = await renderedHash(alone.page);
      await alone.pdf.destroy();

      const { pdf, page } = await firstPage(bytes);
      expect(await operatorsPaintingImage(page)).not.toBeNull();
      expect(await renderedHash(page)).toBe(unasked);
      // One list, keyed as the render keys it: getOperatorList() would have built a second one.
      expect(page._intentStates.size).toBe(1);
      await pdf.destroy();
    }
  });
});
