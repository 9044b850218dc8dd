import type { Page } from 'tesseract.js';

/** A word as tesseract found it: its 0..100 confidence and its box in pixels of the recognised image. */
export interface RecognizedWord {
  text: string;
  confidence: number;
  bbox: { x0: number; y0: number; x1: number; y1: number };
}

/**
 * What a recognizer returns for a page: the words of each line tesseract found (its reading order
 * is not used) and its mean confidence. Small enough to cross a process boundary per page.
 */
export interface RecognizedText {
  confidence: number;
  lines: RecognizedWord[][];
}

/** The lines and words of tesseract's result, without its blocks, paragraphs and symbols. */
export function recognizedText(page: Page): RecognizedText {
  const lines: RecognizedWord[][] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        lines.push(
          line.words.map(({ text, confidence, bbox: { x0, y0, x1, y1 } }) => ({
            text,
            confidence,
            bbox: { x0, y0, x1, y1 },
          })),
        );
      }
    }
  }
  return { confidence: page.confidence, lines };
}
