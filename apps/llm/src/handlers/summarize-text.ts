import { GantryError, type LlmSummarize, maxSummarizeTextLength } from '@gantry/contracts';
import type { Handler, HandlerContext } from '@gantry/queue-runtime';
import type { LanguageProvider } from '../engine/language/language-provider.js';

/** The text of a `file` input: UTF-8, within the same limit as an inline text. */
async function readTextFile(
  ctx: HandlerContext,
  file: Parameters<HandlerContext['readBlob']>[0],
): Promise<string> {
  const bytes = await ctx.readBlob(file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new GantryError('UNSUPPORTED_MEDIA_TYPE', 'The file is not UTF-8 text', {
      details: { blob_id: file.blob_id },
      cause: error,
    });
  }
  if (text.length > maxSummarizeTextLength) {
    throw new GantryError(
      'TEXT_TOO_LONG',
      `The file holds ${text.length} characters; at most ${maxSummarizeTextLength} are summarised`,
      {
        details: { length: text.length, max: maxSummarizeTextLength },
      },
    );
  }
  return text;
}

/** `llm.summarize`: a text or a text file → the configured provider (TextRank on the local one). */
export const summarizeText: Handler<typeof LlmSummarize, { language: LanguageProvider }> = async (
  input,
  ctx,
  { language },
) => {
  ctx.useModel(language.model);
  const text = input.file ? await readTextFile(ctx, input.file) : (input.text ?? '');
  return language.summarize(
    text,
    { length: input.length, style: input.style },
    { signal: ctx.signal, progress: (pct, message) => ctx.progress(pct, message) },
  );
};
