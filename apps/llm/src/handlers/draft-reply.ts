import type { LlmDraftReply } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { LanguageProvider } from '../engine/language/language-provider.js';

/** `llm.draft-reply`: a reply draft to a customer message. */
export const draftReply: Handler<typeof LlmDraftReply, { language: LanguageProvider }> = (
  input,
  ctx,
  { language },
) => {
  ctx.useModel(language.model);
  return language.draftReply(input, { signal: ctx.signal });
};
