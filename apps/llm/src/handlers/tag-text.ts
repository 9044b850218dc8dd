import type { LlmTags } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { LanguageProvider } from '../engine/language/language-provider.js';

/** `llm.tags`: keywords, entities, language, reading time and category of a text. */
export const tagText: Handler<typeof LlmTags, { language: LanguageProvider }> = (
  input,
  ctx,
  { language },
) => {
  ctx.useModel(language.model);
  return language.tags(input, { signal: ctx.signal });
};
