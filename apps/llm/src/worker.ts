import { contractsForQueue, LlmExtract, LlmRewrite, LlmSentiment } from '@gantry/contracts';
import { defineWorker } from '@gantry/queue-runtime';
import { loadEmbeddedSentimentProvider } from './engine/embedded-sentiment-provider.js';
import { analyzeSentiment } from './handlers/analyze-sentiment.js';
import { extractData } from './handlers/extract-data.js';
import { rewriteText } from './handlers/rewrite-text.js';
import { loadGenerativeProviders } from './providers/generative-providers.js';
import { loadProviderEnv } from './providers/provider-env.js';

export default defineWorker({
  queue: 'llm',
  contracts: [LlmSentiment, LlmRewrite, LlmExtract],
  async setup({ env }) {
    const providerEnv = loadProviderEnv(
      contractsForQueue('llm').map((contract) => contract.type),
      process.env,
      env.WORKER_CONCURRENCY,
    );
    const [sentiment, generative] = await Promise.all([
      loadEmbeddedSentimentProvider(),
      loadGenerativeProviders(providerEnv, { gpu: env.WORKER_DEVICE === 'gpu' }),
    ]);
    return {
      engines: { sentiment, generative },
      models: [sentiment.model, ...generative.models],
      ...(generative.device ? { device: generative.device } : {}),
      dispose: () => generative.dispose(),
    };
  },
}).handle({ 'llm.sentiment': analyzeSentiment, 'llm.rewrite': rewriteText, 'llm.extract': extractData });
