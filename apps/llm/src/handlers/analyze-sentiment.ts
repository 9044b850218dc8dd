import type { LlmSentiment } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { ReadEnglish } from '../engine/language/english-nlp.js';
import { sentimentBySentence } from '../engine/sentence-sentiment.js';
import type { SentimentProvider } from '../engine/sentiment-provider.js';

/** `llm.sentiment`: text → the configured provider (the embedded classifier by default), per sentence on request. */
export const analyzeSentiment: Handler<
  typeof LlmSentiment,
  { sentiment: SentimentProvider; read: ReadEnglish }
> = async (input, ctx, { sentiment, read }) => {
  const whole = await sentiment.analyze(input.text, { signal: ctx.signal });
  if (!input.sentences || !whole.language_supported) return whole;
  return { ...whole, sentences: await sentimentBySentence(sentiment, read, input.text, ctx.signal) };
};
