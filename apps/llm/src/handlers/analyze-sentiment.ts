import type { LlmSentiment, LlmSentimentOutput } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { DetectLanguage } from '../engine/detect-language.js';
import type { ReadEnglish } from '../engine/language/english-nlp.js';
import { sentimentBySentence } from '../engine/sentence-sentiment.js';
import type { SentimentProvider } from '../engine/sentiment-provider.js';
import { createLlmSentimentProvider } from '../generation/sentiment-with-llm.js';
import type { GenerativeProviders } from '../providers/generative-providers.js';

/**
 * `llm.sentiment`: text → the job type's generative provider when one is configured (zero-shot,
 * structured output), else the embedded classifier; per sentence on request, on the same provider.
 */
export const analyzeSentiment: Handler<
  typeof LlmSentiment,
  { sentiment: SentimentProvider; read: ReadEnglish; generative: GenerativeProviders; detect: DetectLanguage }
> = async (input, ctx, { sentiment, read, generative, detect }) => {
  const provider = generative.resolve('llm.sentiment');
  const llm = provider && createLlmSentimentProvider(provider, detect);
  const analyzer = llm ?? sentiment;
  ctx.useModel(analyzer.model);
  const whole: LlmSentimentOutput = await analyzer.analyze(input.text, { signal: ctx.signal });
  if (input.sentences && whole.language_supported) {
    whole.sentences = await sentimentBySentence(analyzer, read, input.text, ctx.signal);
  }
  return provider && llm
    ? { ...whole, provider: provider.name, model: provider.model, usage: llm.usage }
    : whole;
};
