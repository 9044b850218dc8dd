import type { LlmIntent } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { LanguageProvider } from '../engine/language/language-provider.js';
import { detectIntentWithLlm } from '../generation/detect-intent-with-llm.js';
import { generativeModel, type GenerativeProviders } from '../providers/generative-providers.js';

/**
 * `llm.intent`: which of the caller's intents a message expresses, or `none`. Zero-shot on the job
 * type's generative provider when one is configured, else learnt from the examples on the local one.
 */
export const detectIntent: Handler<
  typeof LlmIntent,
  { language: LanguageProvider; generative: GenerativeProviders }
> = (input, ctx, { language, generative }) => {
  const provider = generative.resolve('llm.intent');
  if (provider) {
    ctx.useModel(generativeModel(provider));
    return detectIntentWithLlm(provider, input, { signal: ctx.signal });
  }
  ctx.useModel(language.model);
  return language.intent(input, { signal: ctx.signal });
};
