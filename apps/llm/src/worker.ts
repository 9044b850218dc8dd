import {
  contractsForQueue,
  LlmClassify,
  LlmDraftReply,
  LlmExtract,
  LlmIntent,
  LlmRewrite,
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
import { extractData } from './handlers/extract-data.js';
import { rewriteText } from './handlers/rewrite-text.js';
import { summarizeText } from './handlers/summarize-text.js';
import { tagText } from './handlers/tag-text.js';
import { loadGenerativeProviders } from './providers/generative-providers.js';
import { loadProviderEnv } from './providers/provider-env.js';

export default defineWorker({
  queue: 'llm',
  contracts: [
    LlmSentiment,
    LlmSummarize,
    LlmTags,
    LlmIntent,
    LlmClassify,
    LlmDraftReply,
    LlmRewrite,
    LlmExtract,
  ],
  async setup({ env }) {
    const providerEnv = loadProviderEnv(
      contractsForQueue('llm').map((contract) => contract.type),
      process.env,
      env.WORKER_CONCURRENCY,
    );
    const [sentiment, detect, generative] = await Promise.all([
      loadEmbeddedSentimentProvider(),
      loadLanguageDetector(),
      loadGenerativeProviders(providerEnv, { gpu: env.WORKER_DEVICE === 'gpu' }),
    ]);
    const read = loadEnglishReader();
    const language = createLocalLanguageProvider(read, detect);
    return {
      engines: { sentiment, read, language, generative, detect },
      models: [sentiment.model, language.model, ...generative.models],
      ...(generative.device ? { device: generative.device } : {}),
      dispose: () => generative.dispose(),
    };
  },
}).handle({
  'llm.sentiment': analyzeSentiment,
  'llm.summarize': summarizeText,
  'llm.tags': tagText,
  'llm.intent': detectIntent,
  'llm.classify': classifyText,
  'llm.draft-reply': draftReply,
  'llm.rewrite': rewriteText,
  'llm.extract': extractData,
});
