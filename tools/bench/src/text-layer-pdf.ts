import { PDFDocument, StandardFonts } from 'pdf-lib';

const words = (
  'the quarterly report shows that shipments to northern warehouses rose while returns fell and the ' +
  'committee agreed to review supplier contracts before the end of the month with a budget of eight ' +
  'thousand euros for new equipment invoices are due within thirty days of delivery'
).split(' ');

/**
 * A dense A4 page of a text-layer PDF: a title, two columns of prose (about 100 lines of Helvetica
 * 10 pt, ~4,000 characters) and a table of five rows — what a report or a contract page holds.
 * Words come from a fixed generator, so every run reads the same document.
 */
function pageLines(page: number): { x: number; y: number; text: string; size: number }[] {
  let seed = page * 7919 + 1;
  const nextWord = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return words[seed % words.length] ?? 'the';
  };
  const line = () => Array.from({ length: 8 }, nextWord).join(' ');
  const lines = [{ x: 50, y: 60, text: `Section ${page + 1}: operations review`, size: 16 }];
  for (const x of [50, 310]) {
    for (let y = 90; y <= 700; y += 13) lines.push({ x, y, text: line(), size: 10 });
  }
  for (let row = 0; row < 5; row++) {
    const y = 730 + row * 14;
    lines.push({ x: 50, y, text: `Item ${page * 5 + row + 1}`, size: 10 });
    lines.push({ x: 250, y, text: nextWord(), size: 10 });
    lines.push({ x: 480, y, text: `${(row + 1) * 112}.50`, size: 10 });
  }
  return lines;
}

/** A PDF of `pages` such pages, every page its own text (no shared content stream). */
export async function textLayerPdf(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    for (const { x, y, text, size } of pageLines(i)) page.drawText(text, { x, y: 842 - y, size, font });
  }
  return Buffer.from(await doc.save());
}
