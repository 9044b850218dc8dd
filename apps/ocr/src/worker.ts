import { OcrExtract } from '@gantry/contracts';
import { defineWorker } from '@gantry/queue-runtime';
import { createOcrEngine } from './engine/index.js';
import { extractText } from './handlers/extract-text.js';
import { loadOcrEnv } from './ocr-env.js';

/**
 * OCR_ENGINE_CONCURRENCY jobs per engine process (default one; the runtime runs an engine process per
 * concurrency slot); their pages share its OCR_PAGE_THREADS recognizer processes (tesseract.js, or the
 * native CLI: OCR_ENGINE), and a canceled job's page stops by its recognizer being killed.
 */
export default defineWorker({
  queue: 'ocr',
  contracts: [OcrExtract],
  engineSharing: {
    types: ['ocr.extract'],
    jobsPerEngine: (env) => loadOcrEnv(env).OCR_ENGINE_CONCURRENCY,
  },
  async setup({ env }) {
    const { OCR_ENGINE, OCR_LANGUAGE_DIR, OCR_TESSERACT_PATH, OCR_MAX_PAGES, OCR_PDF_DPI, OCR_PAGE_THREADS } =
      loadOcrEnv();
    const ocr = await createOcrEngine({
      engine: OCR_ENGINE,
      langDir: OCR_LANGUAGE_DIR,
      tesseractPath: OCR_TESSERACT_PATH,
      poolSize: OCR_PAGE_THREADS,
      maxPixels: env.MAX_IMAGE_PIXELS,
      maxPages: OCR_MAX_PAGES,
      pdfDpi: OCR_PDF_DPI,
    });
    return { engines: { ocr }, models: [...ocr.models], dispose: () => ocr.close() };
  },
}).handle({ 'ocr.extract': extractText });
