import type { ModelInfo } from '@gantry/contracts';
import { openImagePages } from '@gantry/image-input';
import { defaultLanguageDir, readLanguageData } from './language-data.js';
import type { OcrPage, OcrResult } from './ocr-result.js';
import { preparePage } from './prepare-page.js';
import { RecognizerPool } from './recognizer-pool.js';
import { toOcrPage } from './to-ocr-page.js';

export interface OcrEngineOptions {
  /**
   * Warm recognizers, i.e. jobs this engine runs at once. The runtime starts one engine process
   * per concurrency slot, hence 1; a standalone engine may use one per CPU.
   */
  poolSize?: number;
  /** Most pixels per page, checked from the header before decoding (default 50 M: A4 at 600 dpi is 35 M). */
  maxPixels?: number;
  /** Most pages of a multi-page TIFF (default 50). */
  maxPages?: number;
  /** Directory of `<code>.traineddata.gz` files (default: eng from @tesseract.js-data/eng, 4.0.0_best_int). */
  langDir?: string;
  /** Languages the recognizers load at start (default ["eng"]); other installed ones load on first use. */
  warmLanguages?: readonly string[];
}

export interface ExtractOptions {
  /** Tesseract codes, e.g. ["eng"] (the default); only installed ones, else VALIDATION_FAILED. */
  languages?: readonly string[];
  /** Checked between pages; a hard stop is the runtime's job (it kills the engine process). */
  signal?: AbortSignal;
  /** 0..100 with a short message; called at page boundaries and every 5 % within a page. */
  onProgress?: (pct: number, message: string) => void;
}

export interface OcrEngine {
  /** One entry per installed language, e.g. { name: 'tesseract-eng', version: '4.0.0_best_int', sha256 }. */
  readonly models: readonly ModelInfo[];
  /** Installed language codes. */
  readonly languages: readonly string[];
  /** Reads every page of a TIFF, or the image (first frame) in any other format @gantry/image-input opens. */
  extract(image: Uint8Array, options?: ExtractOptions): Promise<OcrResult>;
  close(): Promise<void>;
}

const positiveInteger = (name: string, value: number): number => {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`OCR engine option ${name} must be a positive integer, got ${value}`);
  }
  return value;
};

const progressStep = 5;

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
  const data = await readLanguageData(options.langDir ?? defaultLanguageDir());
  const warm = data.resolve(options.warmLanguages ?? ['eng']);
  const pool = await RecognizerPool.start(poolSize, warm, data.dir);

  async function extract(
    bytes: Buffer,
    { languages = ['eng'], signal, onProgress }: ExtractOptions = {},
  ): Promise<OcrResult> {
    const codes = data.resolve(languages);
    signal?.throwIfAborted();
    const image = await openImagePages(bytes, limits);
    const report = progressReporter(onProgress);
    const share = 100 / image.count;
    const pages = await pool.use(async (recognizer) => {
      const done: OcrPage[] = [];
      for (let index = 0; index < image.count; index++) {
        signal?.throwIfAborted();
        const label = `page ${index + 1}/${image.count}`;
        report(index * share, `${label}: decoding`);
        const prepared = await preparePage((await image.page(index)).image);
        signal?.throwIfAborted();
        report((index + 0.1) * share, `${label}: recognizing`);
        const page = await recognizer.recognize(prepared, codes, (fraction) =>
          report((index + 0.1 + 0.9 * fraction) * share, `${label}: recognizing`),
        );
        done.push(toOcrPage(index + 1, prepared, page));
      }
      return done;
    }, signal);
    report(100, 'done');
    return { text: pages.map((page) => page.text).join('\f'), pages };
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
