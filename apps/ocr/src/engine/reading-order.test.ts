import { describe, expect, it } from 'vitest';
import { blocksText, type PlacedWord, readingOrder, wordRows } from './reading-order.js';

// Pure geometry, nothing outside the process: words laid out like a page set in a 20 px font,
// each character 10 px wide, one space (10 px) between words, 30 px from baseline to baseline.
function layout(x: number, y: number, line: string): PlacedWord[] {
  const words: PlacedWord[] = [];
  let at = x;
  for (const text of line.split(' ')) {
    words.push({ text, bbox: { x0: at, y0: y, x1: at + 10 * text.length, y1: y + 20 } });
    at += 10 * (text.length + 1);
  }
  return words;
}

/** Lines of text placed at `x`, one per 30 px from `y`. */
const column = (x: number, y: number, lines: string[]): PlacedWord[] =>
  lines.flatMap((line, i) => layout(x, y + 30 * i, line));

// Shuffled the same way every run: the order must come from the boxes only.
const shuffled = <T>(items: T[]): T[] =>
  items
    .map((item, i) => ({ item, key: (i * 7919) % 101 }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);

const read = (words: PlacedWord[]): string => blocksText(readingOrder(wordRows(shuffled(words))));

describe('readingOrder', () => {
  it('reads two prose columns top to bottom, the left one first, under a heading', () => {
    const words = [
      ...layout(0, 0, 'Quarterly report'),
      ...column(0, 60, ['the left column starts here', 'and it goes on for three', 'lines of plain words']),
      ...column(400, 60, ['the right column comes next', 'with its own lines too', 'until the very end']),
    ];
    expect(read(words)).toBe(
      'Quarterly report\n\n' +
        'the left column starts here\nand it goes on for three\nlines of plain words\n\n' +
        'the right column comes next\nwith its own lines too\nuntil the very end\n',
    );
  });

  it('reads a table row by row, each row left to right, even with wide gutters', () => {
    const words = [
      ...layout(0, 0, 'Item'),
      ...layout(300, 0, 'Qty'),
      ...layout(500, 0, 'Price'),
      ...layout(0, 30, 'Pallet wrap'),
      ...layout(300, 30, '12'),
      ...layout(500, 30, '54.00'),
      ...layout(0, 60, 'Steel brackets'),
      ...layout(300, 60, '250'),
      ...layout(500, 60, '87.50'),
    ];
    expect(read(words)).toBe('Item Qty Price\nPallet wrap 12 54.00\nSteel brackets 250 87.50\n');
  });

  it('reads a two-column table and a form with wordy cells row by row, not as prose columns', () => {
    const log = [
      ['Replace the front brake pads', 'Done on 12 March by Tom'],
      ['Check the tyre pressure all round', 'Left rear was low at 28 psi'],
      ['Top up the screen wash fluid', 'Not needed this time round'],
    ];
    const form = [
      ['Name of applicant: Ada Ngozi Okafor', 'Date of birth: 14 June 1988'],
      ['Home address: 22 Mill Road, Galway', 'Phone number: 091 555 0193'],
    ];
    for (const rows of [log, form]) {
      const words = rows.flatMap(([left = '', right = ''], i) => [
        ...layout(0, 30 * i, left),
        ...layout(400, 30 * i, right),
      ]);
      expect(read(words)).toBe(rows.map((row) => `${row.join(' ')}\n`).join(''));
    }
  });

  it('reads prose columns whose lines carry no case (digits, scripts without capitals) as before', () => {
    const words = [
      ...column(0, 0, ['12 34 56 78', '90 12 34 56', '78 90 12 34']),
      ...column(400, 0, ['21 43 65 87', '09 21 43 65', '87 09 21 43']),
    ];
    expect(read(words)).toBe(
      '12 34 56 78\n90 12 34 56\n78 90 12 34\n\n21 43 65 87\n09 21 43 65\n87 09 21 43\n',
    );
  });

  it('reads a form of labels and values row by row', () => {
    const words = column(0, 0, ['Name:', 'Date:', 'Account:']).concat(
      column(300, 0, ['Ada Lovelace', '17 September 2024', '12345678']),
    );
    expect(read(words)).toBe('Name: Ada Lovelace\nDate: 17 September 2024\nAccount: 12345678\n');
  });

  it("reads a receipt row by row: each price on its item's line, right-aligned far from it", () => {
    // A till roll 40 characters wide: items from the left edge, prices ending at the right edge,
    // a blank band before the total. The prices stand in a column of their own, as a table's would.
    const priced = (y: number, item: string, price: string) => [
      ...layout(0, y, item),
      ...layout(400 - 10 * price.length, y, price),
    ];
    const items = [
      ['Coffee beans 1kg', '14.90'],
      ['Oat milk x2', '3.80'],
      ['Sourdough loaf', '4.25'],
      ['Apples 1.2kg', '2.64'],
      ['Cheddar 400g', '5.10'],
    ] as const;
    const words = [
      ...layout(0, 0, 'CORNER GROCERY'),
      ...items.flatMap(([item, price], i) => priced(60 + 30 * i, item, price)),
      ...priced(240, 'TOTAL', '30.69'),
    ];
    expect(read(words)).toBe(
      'CORNER GROCERY\n\n' +
        'Coffee beans 1kg 14.90\nOat milk x2 3.80\nSourdough loaf 4.25\nApples 1.2kg 2.64\nCheddar 400g 5.10\n\n' +
        'TOTAL 30.69\n',
    );
  });

  it('separates paragraphs at blank bands and keeps lines in each', () => {
    const words = [
      ...column(0, 0, ['first paragraph line one', 'first paragraph line two']),
      ...column(0, 100, ['second paragraph alone']),
    ];
    const blocks = readingOrder(wordRows(words));
    expect(blocks).toHaveLength(2);
    expect(blocks[0]?.bbox).toEqual({ x0: 0, y0: 0, x1: 240, y1: 50 });
    expect(blocks[1]?.lines.map((l) => l.words.map((w) => w.text).join(' '))).toEqual([
      'second paragraph alone',
    ]);
  });

  it('keeps the words of a slightly skewed line together when the lines are given', () => {
    // Each word 3 px lower than the one before: a line drifting across the page.
    const drifting = (y: number, text: string) =>
      layout(0, y, text).map((w, i) => ({
        ...w,
        bbox: { ...w.bbox, y0: w.bbox.y0 + 3 * i, y1: w.bbox.y1 + 3 * i },
      }));
    const lines = [
      drifting(0, 'one two three four five six seven'),
      drifting(30, 'eight nine ten eleven twelve'),
    ];
    expect(blocksText(readingOrder(lines))).toBe(
      'one two three four five six seven\neight nine ten eleven twelve\n',
    );
  });

  it('gives nothing for a page without words', () => {
    expect(readingOrder([[{ text: ' ', bbox: { x0: 0, y0: 0, x1: 5, y1: 5 } }]])).toEqual([]);
  });
});
