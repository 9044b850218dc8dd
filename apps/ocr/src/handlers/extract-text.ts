import type { OcrExtract } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { OcrEngine } from '../engine/index.js';

/** `ocr.extract`: blob → warm tesseract recognizer → text, pages, words and boxes. */
export const extractText: Handler<typeof OcrExtract, { ocr: OcrEngine }> = async (input, ctx, { ocr }) =>
  ocr.extract(await ctx.readBlob(input.file), {
    languages: input.languages,
    signal: ctx.signal,
    onProgress: (pct, message) => ctx.progress(pct, message),
  });
