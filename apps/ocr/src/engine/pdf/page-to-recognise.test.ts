// Real pdf.js on PDFs built by ../../testing/pdf-page-content-fixtures.ts and pdf-fixtures.ts: which
// pages are recognised from their pixels and which are read from their text layer.
import { describe, expect, it } from 'vitest';
import { invoiceText, readOcrFixture } from '../../testing/ocr-fixtures.js';
import { textPdf } from '../../testing/pdf-fixtures.js';
import {
  outlinedTextPdf,
  scanWithTextPdf,
  textWithPhotoPdf,
} from '../../testing/pdf-page-content-fixtures.js';
import { pageToRecognise } from './page-to-recognise.js';
import type { TextRun } from './pdf-text-layer.js';
import { getDocument } from './pdfjs.js';

const scan = readOcrFixture('invoice-clean.png');
const invoiceLines = invoiceText().trim().split('\n');

async function recognised(bytes: Uint8Array): Promise<boolean> {
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  const pdf = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 })
    .promise;
  try {
    const page = await pdf.getPage(1);
    const runs: TextRun[] = (await page.getTextContent()).items.flatMap((item) =>
      'str' in item ? [item] : [],
    );
    return (await pageToRecognise(page, runs)) !== null;
  } finally {
    await pdf.destroy();
  }
}

describe('pageToRecognise', () => {
  it('recognises a scan that carries a stamp of text, however many characters the stamp has', async () => {
    const stamps = [
      ['Scanned with CamScanner'],
      ['Received by fax 2024-09-18 10:42 from +44 113 555 0100  p.1/1'],
      ['ABC-0001234'],
      // Two lines of an OCR layer: a partial one, not the page's text.
      invoiceLines.slice(0, 2),
    ];
    for (const lines of stamps) {
      const pdf = await scanWithTextPdf(scan, { lines, invisible: lines.length > 1 });
      expect([lines[0], await recognised(pdf)]).toEqual([lines[0], true]);
    }
  });

  it('reads a searchable scan, a digital page with a photo and a plain text page from their text layer', async () => {
    const cases: [string, Uint8Array][] = [
      ['searchable scan', await scanWithTextPdf(scan, { lines: invoiceLines, size: 9, invisible: true })],
      ['text with a photo', await textWithPhotoPdf(invoiceLines, scan)],
      ['text', await textPdf([[{ x: 72, y: 72, text: 'Harbour Logistics Newsletter' }]])],
    ];
    for (const [name, pdf] of cases) expect([name, await recognised(pdf)]).toEqual([name, false]);
  });

  it('recognises text drawn as outlines, and leaves a blank page and a page number alone', async () => {
    expect(await recognised(await outlinedTextPdf(scan))).toBe(true);
    expect(await recognised(await textPdf([[]]))).toBe(false);
    expect(await recognised(await textPdf([[{ x: 290, y: 800, text: '3' }]]))).toBe(false);
  });
});
