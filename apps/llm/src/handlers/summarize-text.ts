import {
  GantryError,
  type LlmSummarize,
  type LlmSummarizeInput,
  maxSummarizeTextLength,
} from '@gantry/contracts';
import type { Handler, HandlerContext } from '@gantry/queue-runtime';
import { type DetectLanguage, languageOf } from '../engine/detect-language.js';
import { requireText, textRefusal } from '../engine/text-refusal.js';
import type { LanguageProvider } from '../engine/language/language-provider.js';
import { summarizeWithLlm, summaryTokenBudget } from '../generation/summarize-with-llm.js';
import { generativeModel, type GenerativeProviders } from '../providers/generative-providers.js';
import { streamToProgress } from './stream-to-progress.js';

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
    throw textRefusal(
      ['file'],
      `the file's text must be at most ${maxSummarizeTextLength} characters (it holds ${text.length})`,
      { length: text.length, max: maxSummarizeTextLength },
    );
  }
  return text;
}

/** The text to summarise: inline, read from an earlier job's output by the gateway, or a text file. */
async function textOf(input: LlmSummarizeInput, ctx: HandlerContext): Promise<string> {
  if (input.text !== undefined) return input.text;
  if (input.source?.text !== undefined) return input.source.text;
  if (input.file) return readTextFile(ctx, input.file);
  // The contract refuses such an input before it gets here; this keeps the compiler honest.
  throw new GantryError('VALIDATION_FAILED', 'give one of `text`, `file` or `source`');
}

/**
 * `llm.summarize`: the job type's generative provider when one is configured (abstractive,
 * map-reduce past one chunk, the final text streamed as progress), else TextRank on the local one.
 */
export const summarizeText: Handler<
  typeof LlmSummarize,
  { language: LanguageProvider; generative: GenerativeProviders; detect: DetectLanguage }
> = async (input, ctx, { language, generative, detect }) => {
  const text = await textOf(input, ctx);
  // An inline text or a source's was checked by the gateway; a file's is read only here.
  if (input.file) requireText(text, ['file']);
  const provider = generative.resolve('llm.summarize');
  if (!provider) {
    ctx.useModel(language.model);
    return language.summarize(
      text,
      { length: input.length, style: input.style },
      { signal: ctx.signal, progress: (pct, message) => ctx.progress(pct, message) },
    );
  }
  requireText(text);
  ctx.useModel(generativeModel(provider));
  const { summary, chunks, usage } = await summarizeWithLlm(provider, text, {
    length: input.length,
    style: input.style,
    signal: ctx.signal,
    onChunk: (done, total) => ctx.progress((100 * done) / (total + 1), `chunk ${done} of ${total}`),
    onToken: streamToProgress(ctx, summaryTokenBudget(input.length)),
  });
  return {
    summary,
    sentences: [],
    method: 'llm',
    chunks,
    language: languageOf(detect, text),
    provider: provider.name,
    model: provider.model,
    usage,
  };
};
