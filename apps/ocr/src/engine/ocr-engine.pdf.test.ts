// Model test: real pdf.js, the real tesseract.js worker and English traineddata, on PDFs built
// by ../testing/pdf-fixtures.ts (pdf-lib) and page images drawn with sharp.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { characterErrorRate } from '../testing/character-error-rate.js';
import { invoiceText, readOcrFixture } from '../testing/ocr-fixtures.js';
import { tablePage, tableRows } from '../testing/page-images.js';
import {
  brokenXrefPdf,
  faxPdf,
  hugeMediaBoxPdf,
  javascriptPdf,
  manyPagesPdf,
  mixedPdf,
  oneLineText,
  ownerPasswordPdf,
  pageTreeCyclePdf,
  textPdf,
  truncatedPdf,
  userPasswordPdf,
} from '../testing/pdf-fixtures.js';
import {
  largeScanPdf,
  noPagesPdf,
  outlinedTextPdf,
  scanWithTextPdf,
  sidewaysTextPdf,
} from '../testing/pdf-page-content-fixtures.js';
import { createOcrEngine, type OcrEngine } from './ocr-engine.js';

let engine: OcrEngine;
beforeAll(async () => {
  engine = await createOcrEngine({ maxPages: 5, maxPixels: 8_000_000 });
});
afterAll(() => engine.close());

const twoColumns = [
  { x: 72, y: 72, text: 'Harbour Logistics Newsletter', size: 16 },
  ...['Our new depot in Leeds opened', 'in September with forty bays', 'and a cold store for food.'].map(
    (text, i) => ({ x: 72, y: 130 + 14 * i, text }),
  ),
  ...['Drivers now book their slots', 'online the day before they', 'arrive, which saves hours.'].map(
    (text, i) => ({ x: 320, y: 130 + 14 * i, text }),
  ),
];
const twoColumnsText =
  'Harbour Logistics Newsletter\n\nOur new depot in Leeds opened\nin September with forty bays\nand a cold store for food.\n\n' +
  'Drivers now book their slots\nonline the day before they\narrive, which saves hours.\n';

const table = tableRows.flatMap((row, r) =>
  row.map((text, c) => ({ x: 72 + ([0, 200, 300][c] ?? 0), y: 300 + 16 * r, text })),
);

describe('PDFs', () => {
  it('reads a text-layer page from its glyphs: columns top to bottom, table rows left to right', async () => {
    const result = await engine.extract(await textPdf([[...twoColumns, ...table]]));
    expect(result).toMatchObject({ page_count: 1, truncated: false });
    const [page] = result.pages;
    expect(page).toMatchObject({
      number: 1,
      source: 'text_layer',
      dpi: 300,
      width: 2479,
      height: 3508,
      confidence: 1,
    });
    expect(page?.text).toBe(`${twoColumnsText}\n${tableRows.map((row) => row.join(' ')).join('\n')}\n`);
    expect(page?.blocks.map((b) => b.lines.length)).toEqual([1, 3, 3, 4]);
    // 72 pt from the left at 300 dpi is 300 px.
    expect(page?.words[0]).toMatchObject({ text: 'Harbour', confidence: 1, bbox: { x0: 300 } });
  });

  it('reads a text layer in reading order, not in the order its content stream draws it', async () => {
    // The same page drawn backwards: a footer first, then the table from its last row up with each
    // row's cells right to left, the right column (bottom line first) before the left, the heading last.
    // pdf.js gives the runs in that order, so only the boxes can put them right.
    const footer = { x: 72, y: 800, text: 'Printed by Harbour Logistics' };
    const [heading, ...columnLines] = twoColumns;
    const scrambled = [
      footer,
      ...[...table].reverse(),
      ...columnLines.slice(3).reverse(),
      ...columnLines.slice(0, 3),
      ...(heading ? [heading] : []),
    ];
    const { pages } = await engine.extract(await textPdf([scrambled]));
    expect(pages[0]?.text).toBe(
      `${twoColumnsText}\n${tableRows.map((row) => row.join(' ')).join('\n')}\n\n${footer.text}\n`,
    );
    expect(pages[0]?.words.map((w) => w.text).slice(0, 2)).toEqual(['Harbour', 'Logistics']);
  });

  it('reads a text layer that stands sideways on its page, turned upright, and reports the turn', async () => {
    const lines = tableRows.map((row) => row.join(' '));
    for (const [turned, rotation] of [
      ['page', -90],
      ['text', 90],
    ] as const) {
      const { pages } = await engine.extract(await sidewaysTextPdf(lines, turned));
      expect(pages[0], turned).toMatchObject({ source: 'text_layer', rotation });
      expect(pages[0]?.text, turned).toBe(`${lines.join('\n')}\n`);
    }
  });

  it('recognises a scanned page and reads a mixed PDF page by page, with a page range', async () => {
    const scan = readOcrFixture('invoice-clean.png');
    const pdf = await mixedPdf([
      { text: twoColumns },
      { scan },
      { text: [{ x: 72, y: 72, text: 'The end' }] },
    ]);
    const result = await engine.extract(pdf, { pages: { first: 2, last: 3 } });
    expect(result.page_count).toBe(3);
    expect(result.pages.map((p) => [p.number, p.source])).toEqual([
      [2, 'ocr'],
      [3, 'text_layer'],
    ]);
    const [scanned] = result.pages;
    expect(characterErrorRate(scanned?.text ?? '', invoiceText())).toBeLessThanOrEqual(0.02);
    expect(scanned).toMatchObject({ dpi: 300, width: 1839, height: 733 });
    expect(result.text).toBe(`${scanned?.text}\fThe end\n`);
  });

  it('straightens a scan fed 3° crooked, reports the turn, and reads it as well as the straight one', async () => {
    const crooked = await sharp(readOcrFixture('invoice-clean.png'))
      .rotate(3, { background: '#ffffff' })
      .flatten({ background: '#ffffff' })
      .png()
      .toBuffer();
    const { pages } = await engine.extract(await mixedPdf([{ scan: crooked }]));
    expect(pages[0]?.rotation).toBeCloseTo(-3, 0);
    expect(characterErrorRate(pages[0]?.text ?? '', invoiceText())).toBeLessThanOrEqual(0.01);
    for (const { bbox } of pages[0]?.words ?? []) {
      expect(bbox.x1).toBeLessThanOrEqual(pages[0]?.width ?? 0);
      expect(bbox.y1).toBeLessThanOrEqual(pages[0]?.height ?? 0);
    }
  });

  it('recognises a fax, a page that is an image mask, whole or in strips', async () => {
    for (const bands of [1, 12]) {
      const { pages } = await engine.extract(await faxPdf(readOcrFixture('invoice-clean.png'), bands));
      expect(pages[0]).toMatchObject({ source: 'ocr', dpi: 300, width: 1839, height: 733 });
      expect(characterErrorRate(pages[0]?.text ?? '', invoiceText())).toBeLessThanOrEqual(0.02);
    }
  });

  it('recognises a scan under a fax header line, header and all, and reads a searchable scan from its text layer', async () => {
    const header = 'Received by fax 2024-09-18 10:42 from +44 113 555 0100 p.1/1';
    const faxed = await engine.extract(
      await scanWithTextPdf(readOcrFixture('invoice-clean.png'), { lines: [header] }),
    );
    expect(faxed.pages[0]).toMatchObject({ source: 'ocr', dpi: 300, width: 1839, height: 733 });
    expect(characterErrorRate(faxed.text, `${header}\n${invoiceText()}`)).toBeLessThanOrEqual(0.03);

    const lines = invoiceText().trim().split('\n');
    const searchable = await engine.extract(
      await scanWithTextPdf(readOcrFixture('invoice-clean.png'), { lines, size: 9, invisible: true }),
    );
    expect(searchable.pages[0]).toMatchObject({ source: 'text_layer', confidence: 1 });
    expect(searchable.text).toBe(`${lines.join('\n')}\n`);
  });

  it('recognises a page whose text is drawn as outlines, with no text layer and no image', async () => {
    const { pages } = await engine.extract(await outlinedTextPdf(readOcrFixture('invoice-clean.png')));
    expect(pages[0]).toMatchObject({ source: 'ocr', width: 1839, height: 733 });
    expect(characterErrorRate(pages[0]?.text ?? '', invoiceText())).toBeLessThanOrEqual(0.02);
  });

  it('reads a scanned table row by row', async () => {
    const result = await engine.extract(await mixedPdf([{ scan: await tablePage() }]));
    const lines = result.text.trim().split('\n');
    expect(lines).toEqual(tableRows.map((row) => row.join(' ')));
  });
});

describe('hostile PDFs', () => {
  it('refuses a PDF that needs a user password as PDF_ENCRYPTED', async () => {
    await expect(engine.extract(await userPasswordPdf())).rejects.toMatchObject({ code: 'PDF_ENCRYPTED' });
  });

  it('reads a PDF with only an owner password', async () => {
    expect((await engine.extract(await ownerPasswordPdf())).text).toBe(`${oneLineText}\n`);
  });

  it('ignores JavaScript actions and reads the text', async () => {
    expect((await engine.extract(await javascriptPdf())).text).toBe(`${oneLineText}\n`);
  });

  it('fails a PDF over the page limit, or reads its first pages when asked', async () => {
    const pdf = await manyPagesPdf(7);
    await expect(engine.extract(pdf)).rejects.toMatchObject({
      code: 'MEDIA_TOO_LARGE',
      details: { pages: 7, max_pages: 5 },
    });
    const first = await engine.extract(pdf, { onPageLimit: 'first_pages' });
    expect(first).toMatchObject({ page_count: 7, truncated: true });
    expect(first.pages.map((p) => p.number)).toEqual([1, 2, 3, 4, 5]);
    expect((await engine.extract(pdf, { pages: { first: 3, last: 7 } })).truncated).toBe(false);
  });

  it('refuses a page range that starts past the last page as VALIDATION_FAILED, and reads one ending past it', async () => {
    const pdf = await manyPagesPdf(3);
    await expect(engine.extract(pdf, { pages: { first: 4 } })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { pages: 3 },
    });
    const last = await engine.extract(pdf, { pages: { first: 3, last: 9 } });
    expect(last).toMatchObject({ page_count: 3, truncated: false, text: 'Page 3 of the long report\n' });
    // An image is a one-page document: the same check holds.
    await expect(
      engine.extract(readOcrFixture('invoice-clean.png'), { pages: { first: 2, last: 2 } }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { pages: 1 } });
  });

  it('renders a huge media box within the pixel limit', async () => {
    const started = Date.now();
    const { pages } = await engine.extract(await hugeMediaBoxPdf(readOcrFixture('invoice-clean.png')));
    expect(pages[0]).toMatchObject({ source: 'ocr' });
    expect((pages[0]?.width ?? 0) * (pages[0]?.height ?? 0)).toBeLessThanOrEqual(8_000_000);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('fails a PDF with no pages as MEDIA_CORRUPT', async () => {
    await expect(engine.extract(await noPagesPdf())).rejects.toMatchObject({
      code: 'MEDIA_CORRUPT',
      message: 'The PDF has no pages',
      details: { format: 'pdf' },
    });
  });

  it('fails a PDF whose scan is over the pixel limit as MEDIA_TOO_LARGE, as an image upload of it fails', async () => {
    // 4000 × 2500 is 10 Mpx, over the engine's 8; pdf.js alone would leave the image out, an empty page.
    await expect(engine.extract(await largeScanPdf(4000, 2500))).rejects.toMatchObject({
      code: 'MEDIA_TOO_LARGE',
      details: {
        format: 'pdf',
        page: 1,
        width: 4000,
        height: 2500,
        pixels: 10_000_000,
        max_pixels: 8_000_000,
      },
    });
  });

  it('reads a digital page from its text layer though the PDF holds an image over the pixel limit', async () => {
    const line = 'The quarterly report shows that shipments to northern warehouses rose again.';
    const { pages } = await engine.extract(await largeScanPdf(4000, 2500, Array(40).fill(line)));
    expect(pages[0]).toMatchObject({ source: 'text_layer' });
    expect(pages[0]?.text.split('\n').filter((read) => read === line)).toHaveLength(40);
  });

  it('fails a truncated PDF as MEDIA_CORRUPT', async () => {
    await expect(engine.extract(await truncatedPdf())).rejects.toMatchObject({ code: 'MEDIA_CORRUPT' });
  });

  it('fails a page tree that contains itself as MEDIA_CORRUPT', async () => {
    await expect(engine.extract(await pageTreeCyclePdf())).rejects.toMatchObject({ code: 'MEDIA_CORRUPT' });
  });

  it('reads a PDF whose cross-reference table is wrong by rebuilding it', async () => {
    expect((await engine.extract(await brokenXrefPdf())).text).toBe(`${oneLineText}\n`);
  });

  it('keeps working after every hostile file', async () => {
    expect((await engine.extract(await textPdf([twoColumns]))).text).toBe(twoColumnsText);
  });
});
