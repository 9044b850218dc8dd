import sharp from 'sharp';

/** A line of text at a position, in pixels of the page (baseline at `y`). */
export interface PlacedText {
  x: number;
  y: number;
  text: string;
}

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A clean page image (grey PNG, dark text on white) drawn from text placed by hand, as a scanner
 * at 300 dpi would see a page set in 11 pt DejaVu Sans: the ground truth is the text itself.
 */
export async function pageImage(
  width: number,
  height: number,
  texts: readonly PlacedText[],
): Promise<Buffer> {
  const lines = texts
    .map(
      ({ x, y, text }) =>
        `<text x="${x}" y="${y}" font-family="DejaVu Sans" font-size="46">${escape(text)}</text>`,
    )
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${lines}</svg>`;
  return sharp(Buffer.from(svg)).flatten({ background: '#fff' }).toColourspace('b-w').png().toBuffer();
}

/** A price table as a person reads it: each row left to right, rows top to bottom. */
export const tableRows = [
  ['Item', 'Qty', 'Price'],
  ['Pallet wrap', '12', '54.00'],
  ['Steel brackets', '250', '87.50'],
  ['Cable ties', '40', '6.20'],
] as const;

/** `tableRows` laid out in three columns with wide gutters, 70 px from row to row. */
export const tablePage = (): Promise<Buffer> =>
  pageImage(
    1600,
    420,
    tableRows.flatMap((row, r) =>
      row.map((cell, c) => ({ x: 80 + ([0, 700, 1100][c] ?? 0), y: 100 + 70 * r, text: cell })),
    ),
  );

/** A till receipt as a person reads it: each item with its price on its line (the shop's name has none). */
export const receiptRows = [
  ['GREEN GROCER', ''],
  ['Rye bread', '3.20'],
  ['Butter 250g', '2.45'],
  ['Tomatoes 1kg', '2.99'],
  ['Green tea x3', '7.50'],
  ['Honey jar', '5.80'],
  ['Subtotal', '21.94'],
  ['TOTAL', '21.94'],
  ['Paid by card', '21.94'],
] as const;

/**
 * `receiptRows` on an 80 mm till roll at 300 dpi in a monospaced font: items from the left edge,
 * prices right-aligned 785 px away at the right edge, 70 px from row to row.
 */
export function receiptPage(): Promise<Buffer> {
  const lines = receiptRows
    .map(
      ([item, price], i) =>
        `<text x="80" y="${140 + 70 * i}" font-family="DejaVu Sans Mono" font-size="37">${escape(item)}</text>` +
        `<text x="865" y="${140 + 70 * i}" text-anchor="end" font-family="DejaVu Sans Mono" font-size="37">${price}</text>`,
    )
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="945" height="800"><rect width="100%" height="100%" fill="#fff"/>${lines}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
