import type { OcrBox, OcrPage } from './ocr-result.js';
import { pageLayout } from './page-layout.js';
import type { RecognizedText, RecognizedWord } from './recognized-text.js';

const clamp = (value: number, max: number): number => Math.min(Math.max(Math.round(value), 0), max);

// Tesseract scores 0..100; Gantry scores 0..1 with three decimals.
const toScore = (confidence: number): number => clamp(confidence * 10, 1000) / 1000;

const toBox = (bbox: RecognizedWord['bbox'], width: number, height: number): OcrBox => ({
  x0: clamp(bbox.x0, width),
  y0: clamp(bbox.y0, height),
  x1: clamp(bbox.x1, width),
  y1: clamp(bbox.y1, height),
});

export interface RecognizedPage {
  number: number;
  width: number;
  height: number;
  /** Pixels per inch of a rendered PDF page; null for an image. */
  dpi: number | null;
  /** Degrees the pixels were turned before recognition. */
  rotation: number;
}

/**
 * Tesseract's lines (which follow a slightly skewed baseline) and words, put in reading order by
 * `pageLayout` rather than tesseract's block order, which reads table columns one after another.
 */
export function toOcrPage(page: RecognizedPage, result: RecognizedText): OcrPage {
  const lines = result.lines.map((line) =>
    line
      .map((word) => ({
        text: word.text.trim(),
        confidence: toScore(word.confidence),
        bbox: toBox(word.bbox, page.width, page.height),
      }))
      .filter((word) => word.text !== ''),
  );
  const layout = pageLayout(lines);
  return {
    ...page,
    source: 'ocr',
    ...layout,
    confidence: layout.words.length === 0 ? 0 : toScore(result.confidence),
  };
}
