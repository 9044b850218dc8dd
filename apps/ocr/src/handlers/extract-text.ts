import type { OcrExtract } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { OcrEngine } from '../engine/index.js';

/** `ocr.extract`: blob → PDF text layer or warm tesseract recognizer → text in reading order, pages, words and boxes. */
export const extractText: Handler<typeof OcrExtract, { ocr: OcrEngine }> = async (input, ctx, { ocr }) => {
  const result = await ocr.extract(await ctx.readBlob(input.file), {
    languages: input.languages,
    pages: input.pages,
    onPageLimit: input.on_page_limit,
    signal: ctx.signal,
    onProgress: (pct, message) => ctx.progress(pct, message),
  });
  // The job's model is its first language's traineddata; left alone, the runtime would name the
  // worker's first model, whatever language the job was read in.
  const model = ocr.models.find(({ name }) => name === `tesseract-${input.languages[0]}`);
  if (model) ctx.useModel(model);
  return result;
};
