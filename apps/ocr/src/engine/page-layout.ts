import type { OcrPage, OcrWord } from './ocr-result.js';
import { blocksText, readingOrder } from './reading-order.js';

/**
 * The reading-order part of a page: blocks, lines, the words in that order and the text that
 * follows it. `lines` holds the words of each visual line (in any order).
 */
export function pageLayout(
  lines: readonly (readonly OcrWord[])[],
): Pick<OcrPage, 'text' | 'blocks' | 'words'> {
  const ordered = readingOrder(lines);
  return {
    text: blocksText(ordered),
    blocks: ordered.map((block) => ({
      bbox: block.bbox,
      lines: block.lines.map((line) => ({ text: line.words.map((w) => w.text).join(' '), bbox: line.bbox })),
    })),
    words: ordered.flatMap((block) => block.lines.flatMap((line) => line.words)),
  };
}
