import { LlmSentiment } from '@gantry/contracts';
import { defineWorker } from '@gantry/queue-runtime';
import { loadEmbeddedSentimentProvider } from './engine/embedded-sentiment-provider.js';
import { analyzeSentiment } from './handlers/analyze-sentiment.js';

export default defineWorker({
  queue: 'llm',
  contracts: [LlmSentiment],
  async setup() {
    const sentiment = await loadEmbeddedSentimentProvider();
    return { engines: { sentiment }, models: [sentiment.model] };
  },
}).handle({ 'llm.sentiment': analyzeSentiment });
