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
