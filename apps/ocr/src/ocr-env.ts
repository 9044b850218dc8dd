import { parseEnv, positiveInt } from '@gantry/config';
import { z } from 'zod';

/** The OCR worker's own settings, beside the runtime's WorkerEnv. */
const OcrEnv = z.object({
  /**
   * Which tesseract reads scanned pages: tesseract.js (WebAssembly, embedded, the default) or
   * `native`, Debian's tesseract-ocr CLI run per page (the OCR image installs it); same output.
   */
  OCR_ENGINE: z.enum(['tesseract.js', 'native']).default('tesseract.js'),
  /**
   * The languages jobs may ask for: a directory of `<code>.traineddata.gz` files (npm's
   * @tesseract.js-data) or of plain `<code>.traineddata` ones (Debian's tessdata, tesseract's tessdata
   * repositories; native reads only these). Unset: English from npm (tesseract.js), the CLI's own (native).
   */
  OCR_LANGUAGE_DIR: z.string().min(1).optional(),
  /** The native CLI; with OCR_ENGINE=native the worker refuses to boot if it cannot be run. */
  OCR_TESSERACT_PATH: z.string().min(1).default('/usr/bin/tesseract'),
  /** Most pages one job reads, of a PDF or a multi-page image (the input chooses: fail, or the first ones). */
  OCR_MAX_PAGES: positiveInt(50),
  /**
   * Recognizer processes per engine process: the scanned pages of one document are recognised this
   * many at a time, so a long scan uses the cores that the worker's other engines leave idle.
   */
  OCR_PAGE_THREADS: positiveInt(2),
  /**
   * `ocr.extract` jobs one engine process runs at once, their pages sharing its OCR_PAGE_THREADS
   * recognizers. 1 (the default): every job has an engine process of its own. A large worker gets
   * one document onto every core with WORKER_CONCURRENCY=1 and this and OCR_PAGE_THREADS at its CPUs.
   */
  OCR_ENGINE_CONCURRENCY: positiveInt(1),
  /** Resolution PDF pages without a text layer are rendered at for recognition (capped by MAX_IMAGE_PIXELS). */
  OCR_PDF_DPI: positiveInt(300),
});

export const loadOcrEnv = (env: NodeJS.ProcessEnv = process.env) => parseEnv(OcrEnv, env);
