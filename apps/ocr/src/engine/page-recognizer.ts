import type { GreyImage } from './grey-image.js';
import type { RecognizedText } from './recognized-text.js';
import type { TesseractSettings } from './tesseract-settings.js';

/**
 * One page at a time, in a process of its own that a cancel kills: a warm tesseract.js recognizer
 * process, or the native `tesseract` CLI run per page. The pool holds up to OCR_PAGE_THREADS of them.
 */
export interface PageRecognizer {
  /** Set once it died, failed a page or was killed: the pool replaces it. */
  readonly broken: boolean;
  /** Reads a page; an abort kills its process at once (the page is lost). */
  recognize(
    image: GreyImage,
    languages: readonly string[],
    settings: TesseractSettings,
    onFraction?: (fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<RecognizedText>;
  /** Kills whatever it runs and waits until that is gone. */
  terminate(): Promise<void>;
}

/** Starts one recognizer with the warm languages loaded (the pool calls it as it grows). */
export type StartRecognizer = () => Promise<PageRecognizer>;
