import type { GreyImage } from './grey-image.js';
import type { OcrPage } from './ocr-result.js';

/** One page of a document before recognition: final text from a PDF text layer, or pixels to recognise. */
export type DocumentPage =
  | { kind: 'text'; page: OcrPage }
  | {
      kind: 'pixels';
      /** Upright, 8-bit grey. */
      image: GreyImage;
      /** Pixels per inch of a rendered PDF page; null for an image, whose resolution is unknown. */
      dpi: number | null;
    };

/** A PDF or an image file, opened and checked, whose pages are read one at a time on demand. */
export interface DocumentPages {
  readonly count: number;
  /** Reads page `number` (1-based). */
  read(number: number): Promise<DocumentPage>;
  close(): Promise<void>;
}
