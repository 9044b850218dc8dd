import { OcrExtract } from '@gantry/contracts';
import { defineWorker } from '@gantry/queue-runtime';
import { createOcrEngine } from './engine/index.js';
import { extractText } from './handlers/extract-text.js';

/** One warm recognizer per engine process: the runtime runs one process per concurrency slot. */
export default defineWorker({
  queue: 'ocr',
  contracts: [OcrExtract],
  async setup({ env }) {
    const ocr = await createOcrEngine({ poolSize: 1, maxPixels: env.MAX_IMAGE_PIXELS });
    return { engines: { ocr }, models: [...ocr.models], dispose: () => ocr.close() };
  },
}).handle({ 'ocr.extract': extractText });
