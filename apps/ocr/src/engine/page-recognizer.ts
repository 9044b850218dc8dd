import type { GreyImage } from './grey-image.js';
import type { PageGeometry } from './page-geometry.js';
import type { Preprocessing } from './preprocessing.js';
import type { RecognizedText } from './recognized-text.js';

/** What a recognizer made of a page: the text of the straightened page, and how it was straightened. */
export interface PageReading {
  text: RecognizedText;
  geometry: PageGeometry;
}

/**
 * One page at a time, in a process of its own that a cancel kills: a warm tesseract.js recognizer
 * process, or the native `tesseract` CLI run per page. The pool holds up to OCR_PAGE_THREADS of them.
 */
export interface PageRecognizer {
  /** Set once it died, failed a page or was killed: the pool replaces it. */
  readonly broken: boolean;
  /**
   * Straightens a grey page (straightenPage: preprocessing, orientation, deskew, rules) and reads
   * it; an abort kills its process at once (the page is lost).
   */
  readPage(
    page: GreyImage,
    languages: readonly string[],
    steps: Preprocessing,
    onFraction?: (fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<PageReading>;
  /** Kills whatever it runs and waits until that is gone. */
  terminate(): Promise<void>;
}

/** Starts one recognizer with the warm languages loaded (the pool calls it as it grows). */
export type StartRecognizer = () => Promise<PageRecognizer>;
