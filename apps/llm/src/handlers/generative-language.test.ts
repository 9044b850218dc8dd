import {
  type GantryError,
  LlmClassifyInput,
  LlmClassifyOutput,
  LlmIntentInput,
  LlmIntentOutput,
  LlmSentimentInput,
  LlmSentimentOutput,
  LlmSummarizeInput,
  LlmSummarizeOutput,
} from '@gantry/contracts';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DetectLanguage, loadLanguageDetector } from '../engine/detect-language.js';
import { loadEmbeddedSentimentProvider } from '../engine/embedded-sentiment-provider.js';
import { loadEnglishReader, type ReadEnglish } from '../engine/language/english-nlp.js';
import type { LanguageProvider } from '../engine/language/language-provider.js';
import { createLocalLanguageProvider } from '../engine/language/local-language-provider.js';
import type { SentimentProvider } from '../engine/sentiment-provider.js';
import { loadGenerativeProviders } from '../providers/generative-providers.js';
import { loadProviderEnv } from '../providers/provider-env.js';
import { recordingContext } from '../testing/handler-context.js';
import {
  json,
  lastMessage,
  openAiStream,
  type RecordedRequest,
  startScriptedServer,
} from '../testing/scripted-http-server.js';
import { analyzeSentiment } from './analyze-sentiment.js';
import { classifyText } from './classify-text.js';
import { detectIntent } from './detect-intent.js';
import { summarizeText } from './summarize-text.js';

// Real: the provider registry built from LLM_* variables, the @langchain/openai client over HTTP to a
// local server speaking the Chat Completions protocol, ajv, fastText, wink-nlp and the embedded
// sentiment model. Only the handler context is built by hand (see recordingContext).
const types = ['llm.summarize', 'llm.intent', 'llm.classify', 'llm.sentiment'];
let server: Awaited<ReturnType<typeof startScriptedServer>> | undefined;
let detect: DetectLanguage;
let read: ReadEnglish;
let language: LanguageProvider;
let sentiment: SentimentProvider;
beforeAll(async () => {
  [detect, sentiment] = await Promise.all([loadLanguageDetector(), loadEmbeddedSentimentProvider()]);
  read = loadEnglishReader();
  language = createLocalLanguageProvider(read, detect);
}, 60_000);
afterEach(() => server?.close());

async function enginesFor(replies: Parameters<typeof startScriptedServer>[0], env = {}) {
  server = await startScriptedServer(replies);
  const providerEnv = loadProviderEnv(
    types,
    {
      LLM_PROVIDER: 'openai',
      LLM_MODEL: 'test-model',
      LLM_BASE_URL: `${server.url}/v1`,
      LLM_API_KEY: 'sk-test',
      ...env,
    },
    1,
  );
  const generative = await loadGenerativeProviders(providerEnv, { gpu: false });
  return { generative, detect, read, language, sentiment };
}

const schemaOf = (request: RecordedRequest | undefined) =>
  (request?.body['response_format'] as { json_schema: { schema: Record<string, unknown> } } | undefined)
    ?.json_schema.schema;

const article = [
  'The city council approved a new budget for public transport on Tuesday.',
  'The plan adds twelve electric buses and extends the tram line to the airport by 2027.',
  'Local shop owners welcomed the tram extension but worried about two years of road works.',
].join(' ');

describe('llm.summarize on a configured generative provider', () => {
  it('writes the summary with the LLM, streams it into progress and reports provider, model and usage', async () => {
    const engines = await enginesFor([
      openAiStream(['The council ', 'approved a transport budget.'], {
        prompt_tokens: 90,
        completion_tokens: 8,
      }),
    ]);
    const { ctx, progress, models } = recordingContext();
    const input = LlmSummarizeInput.parse({ text: article, length: { sentences: 1 } });
    const output = LlmSummarizeOutput.parse(await summarizeText(input, ctx, engines));
    expect(output).toEqual({
      summary: 'The council approved a transport budget.',
      sentences: [],
      method: 'llm',
      chunks: 1,
      language: 'en',
      provider: 'openai',
      model: 'test-model',
      usage: { prompt_tokens: 90, completion_tokens: 8 },
    });
    expect(models).toEqual([{ name: 'openai:test-model', version: 'openai', sha256: null }]);
    expect(progress[0]?.message).toBe('The council ');
    const [request] = server?.requests ?? [];
    expect(lastMessage(request)).toContain(article);
    expect(JSON.stringify(request?.body['messages'])).toContain('at most 1 sentence(s)');
  });

  it('summarises a long text map-reduce (a request per chunk, then one more) and keeps the word budget', async () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const engines = await enginesFor([openAiStream([words])]);
    const { ctx, progress } = recordingContext();
    const long = Array.from({ length: 30 }, (_, i) => `${article} Paragraph ${i} ends here.`).join('\n\n');
    const input = LlmSummarizeInput.parse({ text: long, length: { words: 10 }, style: 'bullets' });
    const output = LlmSummarizeOutput.parse(await summarizeText(input, ctx, engines));
    expect(output.chunks).toBeGreaterThan(1);
    expect(server?.requests).toHaveLength(output.chunks + 1);
    expect(output.summary).toBe(`- ${words.split(' ').slice(0, 10).join(' ')}`);
    expect(progress.map((p) => p.message)).toContain(`chunk 1 of ${output.chunks}`);
  });
});

describe('llm.intent and llm.classify on a configured generative provider (zero-shot)', () => {
  const intents = [
    { name: 'order_status', description: 'The customer asks where an order is' },
    { name: 'cancel', description: 'The customer wants to cancel' },
  ];

  it('needs no examples: the model scores each intent, named in the structured-output schema', async () => {
    const engines = await enginesFor([openAiStream(['{"scores":{"order_status":0.92,"cancel":0.05}}'])]);
    const { ctx } = recordingContext();
    const input = LlmIntentInput.parse({ text: 'Where is my parcel?', intents });
    const output = LlmIntentOutput.parse(await detectIntent(input, ctx, engines));
    expect(output).toMatchObject({
      intent: 'order_status',
      confidence: 0.92,
      runner_up: { name: 'cancel', confidence: 0.05 },
      method: 'llm',
      provider: 'openai',
      model: 'test-model',
    });
    expect(schemaOf(server?.requests[0])).toMatchObject({
      properties: { scores: { required: ['order_status', 'cancel'] } },
    });
    expect(lastMessage(server?.requests[0])).toContain('The customer asks where an order is');
  });

  it('answers none when no intent reaches the confidence floor', async () => {
    const engines = await enginesFor([openAiStream(['{"scores":{"order_status":0.2,"cancel":0.1}}'])]);
    const input = LlmIntentInput.parse({ text: 'What a lovely day', intents });
    const output = await detectIntent(input, recordingContext().ctx, engines);
    expect(output).toMatchObject({ intent: 'none', runner_up: { name: 'order_status', confidence: 0.2 } });
    expect(output.confidence).toBeCloseTo(0.8);
  });

  it('fails a provider outage as retryable LLM_PROVIDER_UNAVAILABLE rather than falling back silently', async () => {
    const engines = await enginesFor([json(503, { error: { message: 'overloaded' } })]);
    const input = LlmIntentInput.parse({ text: 'Where is my parcel?', intents });
    const error = (await detectIntent(input, recordingContext().ctx, engines).catch(
      (e: unknown) => e,
    )) as GantryError;
    expect(error.toInfo()).toMatchObject({ code: 'LLM_PROVIDER_UNAVAILABLE', retryable: true });
  });

  const labels = [{ name: 'billing' }, { name: 'technical' }];

  it('makes one-label scores a distribution, best first; several labels keep the model scores', async () => {
    const engines = await enginesFor([openAiStream(['{"scores":{"technical":0.3,"billing":0.9}}'])]);
    const text = 'I was charged twice for March.';
    const single = LlmClassifyOutput.parse(
      await classifyText(LlmClassifyInput.parse({ text, labels }), recordingContext().ctx, engines),
    );
    expect(single.method).toBe('llm');
    expect(single.labels.map((l) => l.name)).toEqual(['billing', 'technical']);
    expect(single.labels[0]?.score).toBeCloseTo(0.75);
    expect(single.labels[1]?.score).toBeCloseTo(0.25);
    const multi = await classifyText(
      LlmClassifyInput.parse({ text, labels, multi_label: true }),
      recordingContext().ctx,
      engines,
    );
    expect(multi.labels).toEqual([
      { name: 'billing', score: 0.9 },
      { name: 'technical', score: 0.3 },
    ]);
  });

  it('fails with OUTPUT_INVALID after the bounded retries when the model keeps answering junk', async () => {
    const engines = await enginesFor([openAiStream(['{"scores":{"billing":"high"}}'])]);
    const input = LlmClassifyInput.parse({ text: 'I was charged twice.', labels });
    const error = (await classifyText(input, recordingContext().ctx, engines).catch(
      (e: unknown) => e,
    )) as GantryError;
    expect(error.toInfo()).toMatchObject({ code: 'OUTPUT_INVALID', retryable: false });
    expect(server?.requests).toHaveLength(3);
  });

  it('stays on the local provider for a job type configured so (LLM_PROVIDER_CLASSIFY=local)', async () => {
    const engines = await enginesFor([openAiStream(['{}'])], { LLM_PROVIDER_CLASSIFY: 'local' });
    const { ctx, models } = recordingContext();
    const input = LlmClassifyInput.parse({
      text: 'The invoice charges us twice',
      labels: [
        { name: 'billing', examples: ['I was charged twice', 'The invoice total is wrong'] },
        { name: 'technical', examples: ['The app crashes on start', 'I cannot log in'] },
      ],
    });
    const output = await classifyText(input, ctx, engines);
    expect(output).toMatchObject({
      method: 'examples',
      labels: [{ name: 'billing' }, { name: 'technical' }],
    });
    expect(output).not.toHaveProperty('provider');
    expect(models[0]?.name).toBe('gantry-local-nlp');
    expect(server?.requests).toHaveLength(0);
  });
});

describe('llm.sentiment on a configured generative provider', () => {
  it('labels the text and each sentence with the LLM, summing the usage of every request', async () => {
    const engines = await enginesFor([
      openAiStream(['{"label":"negative","confidence":0.6}']),
      openAiStream(['{"label":"negative","confidence":0.9}']),
      openAiStream(['{"label":"positive","confidence":0.95}']),
    ]);
    const text = 'The parcel came three days late. The driver was lovely though.';
    const { ctx, models } = recordingContext();
    const output = LlmSentimentOutput.parse(
      await analyzeSentiment(LlmSentimentInput.parse({ text, sentences: true }), ctx, engines),
    );
    expect(output).toMatchObject({
      label: 'negative',
      score: -0.6,
      confidence: 0.6,
      language: 'en',
      language_supported: true,
      provider: 'openai',
      model: 'test-model',
      usage: { prompt_tokens: 36, completion_tokens: 3 },
    });
    expect(output.sentences?.map((s) => [s.label, s.score])).toEqual([
      ['negative', -0.9],
      ['positive', 0.95],
    ]);
    expect(models[0]?.name).toBe('openai:test-model');
    expect(schemaOf(server?.requests[0])).toMatchObject({ required: ['label', 'confidence'] });
  });
});
