import {
  LlmClassify,
  LlmDraftReply,
  LlmIntent,
  LlmSentiment,
  LlmSummarize,
  LlmTags,
} from '@gantry/contracts';
import { defineWorker } from '@gantry/queue-runtime';
import { loadLanguageDetector } from './engine/detect-language.js';
import { loadEmbeddedSentimentProvider } from './engine/embedded-sentiment-provider.js';
import { loadEnglishReader } from './engine/language/english-nlp.js';
import { createLocalLanguageProvider } from './engine/language/local-language-provider.js';
import { analyzeSentiment } from './handlers/analyze-sentiment.js';
import { classifyText } from './handlers/classify-text.js';
import { detectIntent } from './handlers/detect-intent.js';
import { draftReply } from './handlers/draft-reply.js';
import { summarizeText } from './handlers/summarize-text.js';
import { tagText } from './handlers/tag-text.js';

export default defineWorker({
  queue: 'llm',
  contracts: [LlmSentiment, LlmSummarize, LlmTags, LlmIntent, LlmClassify, LlmDraftReply],
  async setup() {
    const [sentiment, detect] = await Promise.all([loadEmbeddedSentimentProvider(), loadLanguageDetector()]);
    const read = loadEnglishReader();
    const language = createLocalLanguageProvider(read, detect);
    return { engines: { sentiment, read, language }, models: [sentiment.model, language.model] };
  },
}).handle({
  'llm.sentiment': analyzeSentiment,
  'llm.summarize': summarizeText,
  'llm.tags': tagText,
  'llm.intent': detectIntent,
  'llm.classify': classifyText,
  'llm.draft-reply': draftReply,
});
