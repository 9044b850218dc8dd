import { OcrExtract } from '@gantry/contracts';
import { defineWorker } from '@gantry/queue-runtime';
import { createOcrEngine } from './engine/index.js';
import { extractText } from './handlers/extract-text.js';
import { loadOcrEnv } from './ocr-env.js';

/** One job per engine process (the runtime runs one per concurrency slot); its pages run on OCR_PAGE_THREADS recognizer processes (tesseract.js, or the native CLI: OCR_ENGINE). */
export default defineWorker({
  queue: 'ocr',
  contracts: [OcrExtract],
  async setup({ env }) {
    const { OCR_ENGINE, OCR_TESSERACT_PATH, OCR_MAX_PAGES, OCR_PDF_DPI, OCR_PAGE_THREADS } = loadOcrEnv();
    const ocr = await createOcrEngine({
      engine: OCR_ENGINE,
      tesseractPath: OCR_TESSERACT_PATH,
      poolSize: OCR_PAGE_THREADS,
      maxPixels: env.MAX_IMAGE_PIXELS,
      maxPages: OCR_MAX_PAGES,
      pdfDpi: OCR_PDF_DPI,
    });
    return { engines: { ocr }, models: [...ocr.models], dispose: () => ocr.close() };
  },
}).handle({ 'ocr.extract': extractText });
