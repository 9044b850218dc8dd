import type { ModelInfo } from '@gantry/contracts';
import type { DocumentPages } from './document-pages.js';
import type { OcrPage, OcrResult } from './ocr-result.js';
import { openImageDocument } from './open-image-document.js';
import { onGivenPage } from './page-geometry.js';
import { type PageRange, selectPages } from './page-selection.js';
import { defaultPreprocessing, type Preprocessing } from './preprocessing.js';
import { inLanes } from './in-lanes.js';
import { RecognizerPool } from './recognizer-pool.js';
import { type OcrEngineKind, recognizersFor } from './recognizers.js';
import { toOcrPage } from './to-ocr-page.js';

export interface OcrEngineOptions {
  /**
   * Which tesseract reads scanned pages (default tesseract.js): `native` runs Debian's `tesseract`
   * CLI per page, with the same preprocessing and the same output. MODEL_UNAVAILABLE at creation
   * where it is missing.
   */
  engine?: OcrEngineKind;
  /** The native CLI (default /usr/bin/tesseract); its languages are those of its tessdata directory. */
  tesseractPath?: string;
  /**
   * Most recognizer processes (a tesseract.js recognizer each, or a native CLI per page), shared by
   * the pages of every job: a document's scanned pages are recognised this many at a time, on as
   * many cores. One tesseract.js recognizer starts warm, others when pages wait. Default 1.
   */
  poolSize?: number;
  /** Most pixels per page, checked from the header before decoding (default 50 M: A4 at 600 dpi is 35 M). */
  maxPixels?: number;
  /** Most pages one job reads, of a PDF or a multi-page image (default 50); see ExtractOptions.onPageLimit. */
  maxPages?: number;
  /** Resolution PDF pages without a text layer are rendered at (default 300), capped by maxPixels. */
  pdfDpi?: number;
  /**
   * The languages' directory: `<code>.traineddata.gz` or `<code>.traineddata` files for tesseract.js
   * (default: eng from @tesseract.js-data/eng, 4.0.0_best_int), plain ones for native (default: its tessdata).
   */
  langDir?: string | undefined;
  /** tesseract.js: languages the recognizers load at start (default ["eng"]); other installed ones load on first use. */
  warmLanguages?: readonly string[];
  /** Preprocessing steps switched on or off (tools/ocr-eval's ablation); jobs use the defaults. */
  preprocessing?: Partial<Preprocessing>;
}

export interface ExtractOptions {
  /** Tesseract codes, e.g. ["eng"] (the default); only installed ones, else VALIDATION_FAILED. */
  languages?: readonly string[];
  /** Checked between pages; a page being recognised stops at once (its recognizer process is killed). */
  signal?: AbortSignal;
  /** 0..100 with a short message ("page 3/12: recognizing"); at page boundaries and every 5 % within a page. */
  onProgress?: (pct: number, message: string) => void;
  /** Pages to read (1-based, inclusive); default every page. */
  pages?: PageRange | undefined;
  /** More pages than maxPages: fail with MEDIA_TOO_LARGE (default), or read the first ones. */
  onPageLimit?: 'fail' | 'first_pages';
}

export interface OcrEngine {
  /** One entry per installed language, e.g. { name: 'tesseract-eng', version: '4.0.0_best_int', sha256 }. */
  readonly models: readonly ModelInfo[];
  /** Installed language codes. */
  readonly languages: readonly string[];
  /** Reads a PDF (text layer or rendered pages), every page of a TIFF, or an image @gantry/image-input opens. */
  extract(file: Uint8Array, options?: ExtractOptions): Promise<OcrResult>;
  close(): Promise<void>;
}

const positiveInteger = (name: string, value: number): number => {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`OCR engine option ${name} must be a positive integer, got ${value}`);
  }
  return value;
};

const progressStep = 5;

/** A turn in degrees clockwise, as the smallest one: within (-180, 180], a tenth of a degree. */
const turnedBy = (degrees: number): number => {
  const within = (((degrees % 360) + 540) % 360) - 180;
  return Math.round((within === -180 ? 180 : within) * 10) / 10;
};

/** A file hard limit on pages, whatever range a job reads: the page tree is walked and TIFF headers read. */
const documentPageCap = 10_000;

// PDF files start with "%PDF-", but readers accept junk before it (within the first KiB).
const isPdf = (bytes: Buffer): boolean => bytes.subarray(0, 1024).includes('%PDF-');

// Progress must never fail a job: a throwing listener would otherwise surface inside tesseract.js.
function progressReporter(onProgress: ExtractOptions['onProgress']): (pct: number, message: string) => void {
  let last = { pct: -progressStep, message: '' };
  return (pct, message) => {
    if (!onProgress || (message === last.message && pct - last.pct < progressStep)) return;
    last = { pct, message };
    try {
      onProgress(Math.min(100, Math.round(pct)), message);
    } catch {
      // ignored on purpose, see above
    }
  };
}

/** Loads the language data and starts the warm recognizers; call once per process. */
export async function createOcrEngine(options: OcrEngineOptions = {}): Promise<OcrEngine> {
  const poolSize = positiveInteger('poolSize', options.poolSize ?? 1);
  const limits = {
    maxPixels: positiveInteger('maxPixels', options.maxPixels ?? 50_000_000),
    maxPages: positiveInteger('maxPages', options.maxPages ?? 50),
  };
  const { data, start } = await recognizersFor(options);
  const pool = await RecognizerPool.start(poolSize, start);

  const pdfDpi = positiveInteger('pdfDpi', options.pdfDpi ?? 300);
  const steps: Preprocessing = { ...defaultPreprocessing, ...options.preprocessing };

  // pdf.js loads on the first PDF: an engine process that only ever sees images starts ~1 s sooner.
  const openDocument = async (bytes: Buffer): Promise<DocumentPages> =>
    isPdf(bytes)
      ? (await import('./pdf/open-pdf.js')).openPdf(bytes, {
          maxPixels: limits.maxPixels,
          maxPages: documentPageCap,
          dpi: pdfDpi,
        })
      : openImageDocument(bytes, { maxPixels: limits.maxPixels, maxPages: documentPageCap });

  async function extract(
    bytes: Buffer,
    { languages = ['eng'], signal, onProgress, pages: range, onPageLimit = 'fail' }: ExtractOptions = {},
  ): Promise<OcrResult> {
    const codes = data.resolve(languages);
    signal?.throwIfAborted();
    const document = await openDocument(bytes);
    try {
      const { numbers, truncated } = selectPages(
        document.count,
        range ?? { first: 1 },
        limits.maxPages,
        onPageLimit,
      );
      const report = progressReporter(onProgress);
      // Each page's share of the work done, 0..1: pages run side by side, the sum only grows.
      const done = numbers.map(() => 0);
      const advance = (index: number, fraction: number, message: string) => {
        done[index] = fraction;
        report((100 * done.reduce((sum, f) => sum + f, 0)) / numbers.length, message);
      };
      const readPage = async (number: number, index: number): Promise<OcrPage> => {
        const label = `page ${index + 1}/${numbers.length}`;
        advance(index, 0, `${label}: reading`);
        const content = await document.read(number);
        if (content.kind === 'text') {
          advance(index, 1, `${label}: read`);
          return content.page;
        }
        // Decoded or rendered here (document.read); the recognizer straightens the page on its own core.
        signal?.throwIfAborted();
        advance(index, 0.1, `${label}: recognizing`);
        const { text, geometry } = await pool.use(
          (recognizer) =>
            recognizer.readPage(
              content.image,
              codes,
              steps,
              (fraction) => advance(index, 0.1 + 0.9 * fraction, `${label}: recognizing`),
              signal,
            ),
          signal,
        );
        advance(index, 1, `${label}: recognized`);
        const recognized = toOcrPage(
          {
            number,
            ...geometry.straight,
            dpi: content.dpi,
            rotation: turnedBy(geometry.turn + geometry.rotation),
          },
          text,
        );
        return onGivenPage(recognized, geometry);
      };
      // As many pages at once as there are recognizers: a scanned document uses every one of them.
      const pages = await inLanes(numbers, pool.limit, readPage, signal);
      report(100, 'done');
      return {
        text: pages.map((page) => page.text).join('\f'),
        page_count: document.count,
        truncated,
        pages,
      };
    } finally {
      await document.close();
    }
  }

  return {
    models: data.models,
    languages: data.codes,
    extract: (bytes, extractOptions) =>
      extract(
        Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        extractOptions,
      ),
    close: () => pool.close(),
  };
}
