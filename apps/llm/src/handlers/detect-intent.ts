import type { LlmIntent } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { LanguageProvider } from '../engine/language/language-provider.js';

/** `llm.intent`: which of the caller's intents a message expresses, or `none`. */
export const detectIntent: Handler<typeof LlmIntent, { language: LanguageProvider }> = (
  input,
  ctx,
  { language },
) => {
  ctx.useModel(language.model);
  return language.intent(input, { signal: ctx.signal });
};
