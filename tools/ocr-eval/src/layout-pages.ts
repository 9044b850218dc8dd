import type { PdfText } from '@gantry/ocr-worker/testing';
import sharp from 'sharp';
import { requireFontFamilies } from './installed-fonts.js';

/** A generated page of known text: the layouts of issue 13 (fonts, table, form, receipt, two columns). */
export interface LayoutPage {
  name: string;
  /** Grey PNG at 300 dpi. */
  bytes: Buffer;
  /** The text in reading order: rows left to right, prose columns one after the other. */
  truth: string;
  /** The same lines as a PDF text layer (Helvetica, positions in points), for the text-PDF condition. */
  pdfText: PdfText[];
}

interface Line {
  x: number;
  /** Baseline, px at 300 dpi. */
  y: number;
  text: string;
  family: string;
  points: number;
  /** `end`: right-aligned at x (prices). */
  anchor?: 'start' | 'end';
}

interface Layout {
  name: string;
  width: number;
  height: number;
  /** Lines as drawn; `rows` gives the truth's reading order. */
  lines: Line[];
  /** Reading order: each entry one truth line, made of the texts of these lines joined by a space. */
  rows: Line[][];
  /** Table rules and form underlines, as SVG. */
  rules?: string;
}

const dpi = 300;
const px = (points: number) => (points * dpi) / 72;
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// Ten of the font families Debian ships (fonts-liberation, fonts-dejavu, fonts-urw-base35).
const families = [
  ['Liberation Sans', 'Invoices are due thirty days after the date of issue.'],
  ['Liberation Serif', 'The warehouse closes at 17:45 on Fridays and public holidays.'],
  ['Liberation Mono', 'Batch 4471-B passed inspection on 03/09/2026.'],
  ['DejaVu Serif', 'Please keep this receipt as proof of purchase.'],
  ['Nimbus Roman', 'Shipping weight: 12.6 kg, volume 0.08 cubic metres.'],
  ['URW Bookman', 'Our offices move to 18 Canal Street from next month.'],
  ['URW Gothic', 'Reference numbers must be quoted in every reply.'],
  ['P052', 'The committee approved the budget of 42,300 for 2027.'],
  ['C059', 'Returns are accepted within fourteen days if unopened.'],
  ['Nimbus Sans Narrow', 'Contact the service desk on extension 2208 for access.'],
] as const;

function fontsLayout(): Layout {
  const lines = families.map(([family, text], i) => ({
    x: 200,
    y: 260 + i * px(11) * 2.4,
    text,
    family,
    points: 11,
  }));
  return { name: 'ten fonts', width: 2480, height: 2000, lines, rows: lines.map((line) => [line]) };
}

const tableData = [
  ['Item', 'Qty', 'Unit price', 'Total'],
  ['Steel brackets', '40', '2.35', '94.00'],
  ['Hex bolts M10', '250', '0.18', '45.00'],
  ['Timber battens', '24', '6.10', '146.40'],
  ['Wall plugs', '500', '0.04', '20.00'],
  ['Hinges, brass', '12', '4.75', '57.00'],
  ['Paint, white 5 l', '3', '31.90', '95.70'],
  ['Sandpaper P120', '50', '0.62', '31.00'],
  ['Wood glue 1 kg', '2', '9.80', '19.60'],
];

function tableLayout(): Layout {
  const columns = [200, 1000, 1400, 1900];
  const rowHeight = 100;
  const top = 200;
  const rows = tableData.map((cells, r) =>
    cells.map((text, c) => ({
      x: (columns[c] ?? 0) + 20,
      y: top + r * rowHeight + 68,
      text,
      family: 'Liberation Sans',
      points: 10,
    })),
  );
  const bottom = top + tableData.length * rowHeight;
  const horizontal = tableData
    .map((_, r) => top + r * rowHeight)
    .concat(bottom)
    .map((y) => `<line x1="200" y1="${y}" x2="2300" y2="${y}" stroke="#222" stroke-width="3"/>`);
  const vertical = [...columns, 2300].map(
    (x) => `<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="#222" stroke-width="3"/>`,
  );
  return {
    name: 'ruled table',
    width: 2480,
    height: bottom + 200,
    lines: rows.flat(),
    rows,
    rules: [...horizontal, ...vertical].join(''),
  };
}

const formFields = [
  [
    ['Surname:', 'Okafor'],
    ['Date of birth:', '14/06/1988'],
  ],
  [
    ['Given names:', 'Ada Ngozi'],
    ['Nationality:', 'Irish'],
  ],
  [
    ['Address:', '22 Mill Road, Galway'],
    ['Postcode:', 'H91 E2K4'],
  ],
  [
    ['Telephone:', '091 555 0193'],
    ['Member no.:', 'M-30417'],
  ],
  [
    ['Start date:', '01/02/2027'],
    ['Plan:', 'Family, annual'],
  ],
];

function formLayout(): Layout {
  const title = { x: 200, y: 240, text: 'Membership application', family: 'DejaVu Sans', points: 14 };
  const rows: Line[][] = [[title]];
  const underlines: string[] = [];
  formFields.forEach((pairs, r) => {
    const y = 440 + r * 170;
    const row: Line[] = [];
    pairs.forEach(([label = '', value = ''], c) => {
      const x = c === 0 ? 200 : 1350;
      row.push({ x, y, text: label, family: 'DejaVu Sans', points: 10 });
      row.push({ x: x + 420, y, text: value, family: 'Liberation Serif', points: 11 });
      underlines.push(
        `<line x1="${x + 400}" y1="${y + 14}" x2="${x + 1050}" y2="${y + 14}" stroke="#444" stroke-width="2"/>`,
      );
    });
    rows.push(row);
  });
  return { name: 'form', width: 2480, height: 1500, lines: rows.flat(), rows, rules: underlines.join('') };
}

const receiptItems = [
  ['Coffee beans 1kg', '14.90'],
  ['Oat milk x2', '3.80'],
  ['Sourdough loaf', '4.25'],
  ['Apples 1.2kg', '2.64'],
  ['Cheddar 400g', '5.10'],
  ['Subtotal', '30.69'],
  ['VAT 0%', '0.00'],
  ['TOTAL', '30.69'],
  ['Card', '30.69'],
];

function receiptLayout(): Layout {
  const width = 945; // 80 mm roll at 300 dpi
  const family = 'DejaVu Sans Mono';
  const head = ['CORNER GROCERY', '12 High St, Leeds', '05/12/2026 18:42'].map((text, i) => ({
    x: 80,
    y: 140 + i * 70,
    text,
    family,
    points: 9,
  }));
  const rows: Line[][] = head.map((line) => [line]);
  receiptItems.forEach(([item = '', price = ''], i) => {
    const y = 420 + i * 70;
    rows.push([
      { x: 80, y, text: item, family, points: 9 },
      { x: width - 80, y, text: price, family, points: 9, anchor: 'end' },
    ]);
  });
  const foot = {
    x: 80,
    y: 420 + receiptItems.length * 70 + 80,
    text: 'Thank you for shopping',
    family,
    points: 9,
  };
  rows.push([foot]);
  return { name: 'receipt', width, height: foot.y + 160, lines: rows.flat(), rows };
}

const columnText = [
  `The river authority published its annual survey in March. Water quality improved at eleven of the
fourteen sampling points, and fish counts rose for the third year in a row. Two sites near the old
tannery still show high levels of chromium, and the authority has asked the owner to fund a study.`,
  `Volunteers planted four thousand willow cuttings along the north bank during the winter. Most of
them have taken root, and the bank has not slipped since. The next planting day is on 18 April,
and anyone who wishes to help should bring gloves and boots.`,
];

function wrap(text: string, columns: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > columns) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function twoColumnLayout(): Layout {
  const family = 'Liberation Serif';
  const leading = px(10) * 1.4;
  const title = { x: 200, y: 240, text: 'River Survey Newsletter', family, points: 16 };
  const columns = columnText.map((text, c) =>
    wrap(text, 48).map((line, i) => ({
      x: c === 0 ? 200 : 1300,
      y: 400 + i * leading,
      text: line,
      family,
      points: 10,
    })),
  );
  const rows = [[title], ...columns.flat().map((line) => [line])];
  const depth = Math.max(...columns.map((column) => column.length));
  return {
    name: 'two columns',
    width: 2480,
    height: Math.round(400 + depth * leading + 200),
    lines: rows.flat(),
    rows,
  };
}

async function render(layout: Layout): Promise<LayoutPage> {
  const texts = layout.lines
    .map(
      (line) =>
        `<text x="${line.x}" y="${line.y.toFixed(1)}" font-family="${line.family}" font-size="${px(line.points).toFixed(1)}"${line.anchor === 'end' ? ' text-anchor="end"' : ''}>${escape(line.text)}</text>`,
    )
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}">
<rect width="100%" height="100%" fill="#fff"/>${layout.rules ?? ''}<g fill="#111">${texts}</g></svg>`;
  const bytes = await sharp(Buffer.from(svg))
    .flatten({ background: '#ffffff' })
    .toColourspace('b-w')
    .withMetadata({ density: dpi })
    .png()
    .toBuffer();
  const points = (value: number) => (value * 72) / dpi;
  // Right-aligned prices go in the text layer at their left edge, estimated from Helvetica's width.
  const pdfText = layout.lines.map((line) => ({
    x: points(line.anchor === 'end' ? line.x - line.text.length * px(line.points) * 0.55 : line.x),
    y: points(line.y),
    text: line.text,
    size: line.points,
  }));
  const truth = layout.rows.map((row) => row.map((line) => line.text).join(' ')).join('\n');
  return { name: layout.name, bytes, truth, pdfText };
}

/**
 * Five pages (A4 width at 300 dpi, a receipt 80 mm wide) rendered from SVG in Debian's fonts:
 * ten font families, a ruled table, a form with underlined fields, a receipt with right-aligned
 * prices, prose in two columns. Written before any result was seen; the text is made up.
 */
export async function layoutPages(): Promise<LayoutPage[]> {
  const layouts = [fontsLayout(), tableLayout(), formLayout(), receiptLayout(), twoColumnLayout()];
  await requireFontFamilies(layouts.flatMap((layout) => layout.lines.map((line) => line.family)));
  return Promise.all(layouts.map(render));
}
