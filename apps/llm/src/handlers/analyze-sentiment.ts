import type { LlmSentiment } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { SentimentProvider } from '../engine/sentiment-provider.js';

/** `llm.sentiment`: text → the configured provider (the embedded classifier by default). */
export const analyzeSentiment: Handler<typeof LlmSentiment, { sentiment: SentimentProvider }> = (
  input,
  ctx,
  { sentiment },
) => sentiment.analyze(input.text, { signal: ctx.signal });
