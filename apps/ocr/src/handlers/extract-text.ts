import type { OcrExtract } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { OcrEngine } from '../engine/index.js';

/** `ocr.extract`: blob → PDF text layer or warm tesseract recognizer → text in reading order, pages, words and boxes. */
export const extractText: Handler<typeof OcrExtract, { ocr: OcrEngine }> = async (input, ctx, { ocr }) =>
  ocr.extract(await ctx.readBlob(input.file), {
    languages: input.languages,
    pages: input.pages,
    onPageLimit: input.on_page_limit,
    signal: ctx.signal,
    onProgress: (pct, message) => ctx.progress(pct, message),
  });
