import type { RecognizedText, RecognizedWord } from './recognized-text.js';

// Columns of tesseract's TSV renderer (`tesseract … tsv`), one row per page, block, paragraph, line and word.
const columns = [
  'level',
  'page_num',
  'block_num',
  'par_num',
  'line_num',
  'word_num',
  'left',
  'top',
  'width',
  'height',
  'conf',
  'text',
] as const;
/** The first line tesseract's TSV renderer writes, once per process: anything else is another format. */
export const tsvHeader = columns.join('\t');
const wordLevel = 5;

/**
 * The words of each line of one page of tesseract's TSV (the native CLI's rows after its header, or
 * tesseract.js's, which has none) and the page's mean word confidence: the plain mean over words,
 * rounded (tesseract's MeanTextConf truncates each word's first, so it reads up to 1 lower).
 */
export function parseTesseractTsv(rows: readonly string[]): RecognizedText {
  const lines = new Map<string, RecognizedWord[]>();
  for (const row of rows) {
    if (row === '') continue;
    const cells = row.split('\t');
    if (cells.length !== columns.length) throw new Error(`unexpected tesseract TSV row: ${row}`);
    const [level, page, block, paragraph, line, , left, top, width, height, conf, text = ''] = cells;
    if (Number(level) !== wordLevel) continue;
    const x0 = Number(left);
    const y0 = Number(top);
    const key = `${page}.${block}.${paragraph}.${line}`;
    const words = lines.get(key) ?? [];
    words.push({
      text,
      confidence: Number(conf),
      bbox: { x0, y0, x1: x0 + Number(width), y1: y0 + Number(height) },
    });
    lines.set(key, words);
  }
  const words = [...lines.values()].flat();
  const confidence =
    words.length === 0 ? 0 : Math.round(words.reduce((sum, w) => sum + w.confidence, 0) / words.length);
  return { confidence, lines: [...lines.values()] };
}
