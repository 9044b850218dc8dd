import type { OcrBox } from './ocr-result.js';

/** A word with its box: from a PDF text layer or from the recognizer. */
export interface PlacedWord {
  text: string;
  bbox: OcrBox;
}

export interface OrderedLine<W extends PlacedWord> {
  bbox: OcrBox;
  words: W[];
}

export interface OrderedBlock<W extends PlacedWord> {
  bbox: OcrBox;
  lines: OrderedLine<W>[];
}

// Thresholds are in units of the median word height, so they hold at any resolution.
/** A horizontal gap wider than this ends a run of words on a line (column gutters, table cells). */
const segmentGap = 1.2;
/** A blank band taller than this (between lines whose usual gap is far smaller) separates blocks. */
const blockGap = 0.9;
/** Narrowest vertical gutter between two prose columns. */
const gutterWidth = 0.9;
/** Words per run from which a column counts as prose (tables and forms have short cells). */
const proseWords = 3;
/**
 * Share of a column's later lines starting lowercase from which it counts as prose: in running
 * English text most lines start mid-sentence; a table's or form's cells start with a capital.
 */
const continuedShare = 0.25;

/** Consecutive words of one line with no wide gap between them: a phrase, a table cell, a column's line. */
interface Segment<W extends PlacedWord> {
  bbox: OcrBox;
  words: W[];
}

const union = (boxes: readonly OcrBox[]): OcrBox => ({
  x0: Math.min(...boxes.map((b) => b.x0)),
  y0: Math.min(...boxes.map((b) => b.y0)),
  x1: Math.max(...boxes.map((b) => b.x1)),
  y1: Math.max(...boxes.map((b) => b.y1)),
});

const height = (box: OcrBox): number => box.y1 - box.y0;
const centreY = (box: OcrBox): number => (box.y0 + box.y1) / 2;

/** The lower median: of two gaps, the smaller is the usual one. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

/**
 * Groups boxes into rows: a box joins the row whose first box spans its centre. Rows come out
 * top to bottom, each row's items left to right.
 */
function rows<T extends { bbox: OcrBox }>(items: readonly T[]): T[][] {
  const sorted = [...items].sort((a, b) => centreY(a.bbox) - centreY(b.bbox));
  const result: { band: OcrBox; items: T[] }[] = [];
  for (const item of sorted) {
    const centre = centreY(item.bbox);
    const row = result.find(({ band }) => centre >= band.y0 && centre <= band.y1);
    // The band stays that of the row's first item: a tall neighbour must not swallow the next line.
    if (row) row.items.push(item);
    else result.push({ band: item.bbox, items: [item] });
  }
  return result
    .sort((a, b) => centreY(a.band) - centreY(b.band))
    .map((row) => row.items.sort((a, b) => a.bbox.x0 - b.bbox.x0));
}

function segments<W extends PlacedWord>(lines: readonly (readonly W[])[], unit: number): Segment<W>[] {
  const result: Segment<W>[] = [];
  for (const line of lines) {
    let current: W[] = [];
    for (const word of [...line].sort((a, b) => a.bbox.x0 - b.bbox.x0)) {
      const last = current.at(-1);
      if (last && word.bbox.x0 - last.bbox.x1 > segmentGap * unit) {
        result.push({ bbox: union(current.map((w) => w.bbox)), words: current });
        current = [];
      }
      current.push(word);
    }
    if (current.length > 0) result.push({ bbox: union(current.map((w) => w.bbox)), words: current });
  }
  return result;
}

/** Splits `items` at gaps along one axis wider than `minGap`: the runs between empty bands. */
function splitAtGaps<T extends { bbox: OcrBox }>(
  items: readonly T[],
  axis: 'x' | 'y',
  minGap: number,
): T[][] {
  const start = (box: OcrBox) => (axis === 'x' ? box.x0 : box.y0);
  const end = (box: OcrBox) => (axis === 'x' ? box.x1 : box.y1);
  const sorted = [...items].sort((a, b) => start(a.bbox) - start(b.bbox));
  const groups: T[][] = [];
  let reach = -Infinity;
  for (const item of sorted) {
    if (groups.length === 0 || start(item.bbox) - reach > minGap) groups.push([]);
    groups.at(-1)?.push(item);
    reach = Math.max(reach, end(item.bbox));
  }
  return groups;
}

/** The usual vertical gap between consecutive rows of a region, so a block gap can stand out from it. */
function usualRowGap<W extends PlacedWord>(region: readonly Segment<W>[]): number {
  const bands = rows(region).map((row) => union(row.map((s) => s.bbox)));
  const gaps = bands.slice(1).map((band, i) => band.y0 - (bands[i]?.y1 ?? band.y0));
  return gaps.length === 0 ? 0 : median(gaps);
}

/**
 * Of a column's lines after its first, the share that start a word with a lowercase letter: prose
 * wraps mid-sentence, so most of its lines continue one ("and it goes on…"); a table's or a form's
 * cells each start afresh ("Replace the brake pads", "Date of birth: …"). Null where no line starts
 * with a cased letter (digits, or a script without case), which this cannot tell apart.
 */
function continuedLines<W extends PlacedWord>(column: readonly Segment<W>[]): number | null {
  const firsts = rows(column)
    .slice(1)
    .map((row) => row[0]?.words[0]?.text.charAt(0) ?? '')
    .filter((char) => char.toLowerCase() !== char.toUpperCase());
  if (firsts.length === 0) return null;
  return firsts.filter((char) => char === char.toLowerCase()).length / firsts.length;
}

/**
 * Prose: several lines of several words, which continue sentences where they have letters with
 * case. A two-column table or form with wordy cells has the first two as well.
 */
const isProse = <W extends PlacedWord>(column: readonly Segment<W>[]): boolean =>
  rows(column).length >= 2 &&
  median(column.map((s) => s.words.length)) >= proseWords &&
  (continuedLines(column) ?? 1) >= continuedShare;

function order<W extends PlacedWord>(region: Segment<W>[], unit: number, out: OrderedBlock<W>[]): void {
  // 1. Blank bands across the whole region (paragraphs, a heading above columns, table apart from prose).
  const bands = splitAtGaps(region, 'y', Math.max(blockGap * unit, 1.5 * usualRowGap(region)));
  if (bands.length > 1) {
    for (const band of bands) order(band, unit, out);
    return;
  }
  // 2. Prose columns side by side: each read top to bottom, left column first. Tables and forms
  //    also have gutters, but short cells: those are read row by row instead.
  const columns = splitAtGaps(region, 'x', gutterWidth * unit);
  if (columns.length > 1 && columns.every(isProse)) {
    for (const column of columns) order(column, unit, out);
    return;
  }
  // 3. Rows, each left to right: a paragraph, a table, a form, a receipt.
  const lines = rows(region).map((row): OrderedLine<W> => {
    const words = row.flatMap((segment) => segment.words);
    return { bbox: union(words.map((w) => w.bbox)), words };
  });
  out.push({ bbox: union(lines.map((l) => l.bbox)), lines });
}

const visible = (word: PlacedWord): boolean =>
  word.text.trim() !== '' && word.bbox.x1 > word.bbox.x0 && word.bbox.y1 > word.bbox.y0;

/**
 * Rebuilds the order a person reads a page in from boxes alone (not the content stream's or the
 * recognizer's order): blocks separated by blank bands, prose columns top to bottom, table and
 * form rows left to right. A recursive XY cut in which a vertical cut must separate prose columns.
 *
 * `lines` holds the words of each visual line in any order: the recognizer's lines (which follow
 * a slightly skewed baseline), or `wordRows(words)` for words that come without lines.
 */
export function readingOrder<W extends PlacedWord>(lines: readonly (readonly W[])[]): OrderedBlock<W>[] {
  const kept = lines.map((line) => line.filter(visible)).filter((line) => line.length > 0);
  if (kept.length === 0) return [];
  const unit = Math.max(1, median(kept.flat().map((w) => height(w.bbox))));
  const blocks: OrderedBlock<W>[] = [];
  order(segments(kept, unit), unit, blocks);
  return blocks;
}

/** Words without lines (a PDF text layer) grouped into visual lines. */
export const wordRows = <W extends PlacedWord>(words: readonly W[]): W[][] => rows(words.filter(visible));

/** The page text of the contract: each line ends with "\n", a blank line between blocks. */
export const blocksText = (blocks: readonly OrderedBlock<PlacedWord>[]): string =>
  blocks
    .map((block) => block.lines.map((line) => `${line.words.map((w) => w.text).join(' ')}\n`).join(''))
    .join('\n');
