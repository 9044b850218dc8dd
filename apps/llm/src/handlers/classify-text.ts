import type { LlmClassify } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { LanguageProvider } from '../engine/language/language-provider.js';

/** `llm.classify`: the caller's labels scored for a text, best first. */
export const classifyText: Handler<typeof LlmClassify, { language: LanguageProvider }> = (
  input,
  ctx,
  { language },
) => {
  ctx.useModel(language.model);
  return language.classify(input, { signal: ctx.signal });
};
