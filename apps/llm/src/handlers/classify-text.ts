import type { LlmClassify } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { LanguageProvider } from '../engine/language/language-provider.js';
import { classifyWithLlm } from '../generation/classify-with-llm.js';
import { generativeModel, type GenerativeProviders } from '../providers/generative-providers.js';

/**
 * `llm.classify`: the caller's labels scored for a text, best first. Zero-shot on the job type's
 * generative provider when one is configured, else learnt from the examples on the local one.
 */
export const classifyText: Handler<
  typeof LlmClassify,
  { language: LanguageProvider; generative: GenerativeProviders }
> = (input, ctx, { language, generative }) => {
  const provider = generative.resolve('llm.classify');
  if (provider) {
    ctx.useModel(generativeModel(provider));
    return classifyWithLlm(provider, input, { signal: ctx.signal });
  }
  ctx.useModel(language.model);
  return language.classify(input, { signal: ctx.signal });
};
