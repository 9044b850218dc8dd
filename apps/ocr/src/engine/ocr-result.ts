// The engine's output, shaped like `OcrExtractOutput` in @gantry/contracts (jobs/ocr-extract.ts) so a
// handler returns it as is. Confidences are 0..1; boxes are pixels of the upright page, x1/y1 exclusive.

export interface OcrBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface OcrWord {
  text: string;
  confidence: number;
  bbox: OcrBox;
}

export interface OcrPage {
  /** 1-based. */
  number: number;
  width: number;
  height: number;
  text: string;
  /** Tesseract's mean word confidence, 0..1; 0 for a page without text. */
  confidence: number;
  words: OcrWord[];
}

export interface OcrResult {
  /** Page texts joined by a form feed. */
  text: string;
  pages: OcrPage[];
}
