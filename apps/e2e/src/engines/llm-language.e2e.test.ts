import {
  type LlmClassifyOutput,
  type LlmDraftReplyOutput,
  type LlmIntentOutput,
  type LlmSentimentOutput,
  type LlmSummarizeOutput,
  type LlmTagsOutput,
  maxSummarizeTextLength,
} from '@gantry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineStack, startEngineStack, workerModule } from './engine-stack.js';
import type { ErrorReply, Job } from './gantry-client.js';

// Real: gateway over HTTP, Redis queue, Postgres, the llm worker and its engine process with the
// local provider (wink-nlp, compromise, fastText, the trained sentiment model).
let stack: EngineStack;
beforeAll(async () => {
  stack = await startEngineStack('llm-language', [{ module: workerModule('llm'), app: 'llm' }]);
  // The worker's engine process loads wink-nlp, compromise, fastText and LangChain's splitter: a few
  // seconds alone, over a minute on the shared 2-core machine while other suites build.
}, 180_000);
afterAll(() => stack?.close());

async function run<T>(type: string, input: unknown): Promise<Job<T>> {
  const reply = await stack.client.submit<Job<T>>(type, input, 30);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
}

const article = [
  'The city council approved a new budget for public transport on Tuesday.',
  'The plan adds twelve electric buses and extends the tram line to the airport by 2027.',
  'Council members argued for hours about the cost of the tram extension.',
  'The mayor said the budget would cut travel times and air pollution across the city.',
  'Local shop owners welcomed the tram extension but worried about two years of road works.',
  'Tickets will not become more expensive, the transport company promised.',
].join(' ');

const intents = [
  {
    name: 'order_status',
    examples: [
      'Where is my order?',
      'When will my parcel arrive?',
      'My package has not been delivered yet',
      'Tracking has not updated',
      'Has my order shipped?',
    ],
  },
  {
    name: 'cancel',
    examples: [
      'Please cancel my order',
      'I want to cancel my subscription',
      'Stop my order please',
      'How do I cancel?',
      'Cancel the booking',
    ],
  },
];

describe('the language job types through the whole stack (local provider)', () => {
  it('llm.summarize: picks the central sentences, with offsets, as bullets', async () => {
    const job = await run<LlmSummarizeOutput>('llm.summarize', {
      text: article,
      length: { sentences: 2 },
      style: 'bullets',
    });
    expect(job.status).toBe('succeeded');
    const output = job.output as LlmSummarizeOutput;
    expect(output).toMatchObject({ method: 'textrank', chunks: 1, language: 'en' });
    expect(output.sentences).toHaveLength(2);
    for (const sentence of output.sentences)
      expect(article.slice(sentence.start, sentence.end)).toBe(sentence.text);
    expect(output.summary.split('\n').every((line) => line.startsWith('- '))).toBe(true);
    expect(job.model?.name).toBe('gantry-local-nlp');
  });

  it('llm.summarize: summarises an uploaded text file chunk by chunk, with progress', async () => {
    const long = Array.from({ length: 40 }, (_, i) => `${article} Paragraph ${i} ends here.`).join('\n\n');
    const reply = await stack.client.upload<Job<LlmSummarizeOutput>>(
      'llm.summarize',
      { bytes: Buffer.from(long), filename: 'report.txt', contentType: 'text/plain' },
      { length: { words: 60 } },
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    const events = await stack.client.events(reply.body.id);
    const messages = events
      .filter((e) => e.event === 'progress')
      .map((e) => (e.data as { message: string | null }).message ?? '');
    expect(messages).toContain('chunk 1 of 3');
    const job = await stack.client.job<LlmSummarizeOutput>(reply.body.id);
    expect(job.status).toBe('succeeded');
    expect(job.output?.chunks).toBeGreaterThan(1);
    expect(job.output?.summary.split(/\s+/).length).toBeLessThanOrEqual(60);
  });

  it('llm.tags: keywords, entities, language, reading time and category', async () => {
    const text =
      'Dear Sir, please transfer EUR 1,250.00 to IBAN DE89 3704 0044 0532 0130 00 by 12 March 2025. ' +
      'Contact anna.berg@example.com if the invoice from Siemens in Berlin is unclear. Regards, John Smith';
    const job = await run<LlmTagsOutput>('llm.tags', { text });
    const output = job.output as LlmTagsOutput;
    const types = new Map(output.entities.map((e) => [e.type, e]));
    expect(types.get('iban')).toMatchObject({ normalized: 'DE89370400440532013000' });
    expect(types.get('email')?.text).toBe('anna.berg@example.com');
    expect(types.get('amount')?.text).toContain('1,250.00');
    expect(types.get('date')?.text).toContain('March');
    expect(types.get('person')?.text).toBe('John Smith');
    expect(types.get('place')?.text).toBe('Berlin');
    expect(output).toMatchObject({ language: 'en', category: { name: 'billing' } });
    expect(output.reading_time_s).toBeGreaterThan(0);
    expect(output.keywords.length).toBeGreaterThan(0);
  });

  it('llm.intent: learns the intents from examples and answers none when nothing fits', async () => {
    const found = (
      await run<LlmIntentOutput>('llm.intent', {
        text: 'my parcel still has not arrived, where is it?',
        intents,
      })
    ).output;
    expect(found).toMatchObject({
      intent: 'order_status',
      runner_up: { name: 'cancel' },
      method: 'examples',
    });
    const none = (
      await run<LlmIntentOutput>('llm.intent', { text: 'What colour is the sky on Mars?', intents })
    ).output;
    expect(none?.intent).toBe('none');
  });

  it('llm.intent: fails EXAMPLES_REQUIRED when an intent has no examples', async () => {
    const job = await run('llm.intent', {
      text: 'Where is my order?',
      intents: [{ name: 'order_status', description: 'delivery questions' }],
    });
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({
      code: 'EXAMPLES_REQUIRED',
      retryable: false,
      details: { without_examples: ['order_status'] },
    });
  });

  it('llm.classify: scores every label, best first, single and multi label', async () => {
    const labels = [
      {
        name: 'billing',
        examples: [
          'I was charged twice',
          'Refund the payment',
          'My invoice is wrong',
          'Why is the bill so high',
          'Card charged again',
        ],
      },
      {
        name: 'technical',
        examples: [
          'The app crashes',
          'Error 500 on upload',
          'Login page is broken',
          'Sync does not work',
          'The screen freezes',
        ],
      },
    ];
    const single = (
      await run<LlmClassifyOutput>('llm.classify', { text: 'The app crashes when I open my invoice', labels })
    ).output;
    expect(single?.labels.map((l) => l.name)).toEqual(['technical', 'billing']);
    expect(single?.labels.reduce((sum, l) => sum + l.score, 0)).toBeCloseTo(1, 3);
    const multi = (
      await run<LlmClassifyOutput>('llm.classify', {
        text: 'I was charged twice and the app crashes',
        labels,
        multi_label: true,
      })
    ).output;
    expect(multi?.labels.every((l) => l.score > 0.5)).toBe(true);
  });

  it('llm.draft-reply: picks the template by intent and fills in the details', async () => {
    const job = await run<LlmDraftReplyOutput>('llm.draft-reply', {
      message: 'Hello, my order 48213 arrived damaged, the screen is cracked. Regards, Maria Lopez',
      tone: 'formal',
      facts: ['A replacement was sent today with tracking number 1Z999'],
      constraints: { agent_name: 'Sam' },
    });
    const output = job.output as LlmDraftReplyOutput;
    expect(output).toMatchObject({ intent: 'damaged_item', template: 'built-in', method: 'template' });
    expect(output.reply).toMatch(/^Dear Maria,/);
    expect(output.reply).toContain('48213');
    expect(output.reply).toContain('A replacement was sent today with tracking number 1Z999.');
    expect(output.reply).toMatch(/Kind regards,\nSam$/);
  });

  it('llm.sentiment: classifies each sentence on request', async () => {
    const text = 'The hotel room was spotless. The staff at reception were rude and unhelpful.';
    const output = (await run<LlmSentimentOutput>('llm.sentiment', { text, sentences: true })).output;
    expect(output?.sentences?.map((s) => s.label)).toEqual(['positive', 'negative']);
    expect(output?.sentences?.[1]?.start).toBe(text.indexOf('The staff'));
  });

  it('fails an unsupported language with LANGUAGE_UNSUPPORTED, naming it', async () => {
    const job = await run('llm.summarize', {
      text: 'Der Stadtrat hat am Dienstag einen neuen Haushalt für den öffentlichen Nahverkehr beschlossen.',
    });
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'LANGUAGE_UNSUPPORTED', details: { language: 'de' } });
  });

  it.each([
    ['an empty text', 'llm.tags', { text: ' ' }, ['text']],
    ['an empty label set', 'llm.classify', { text: 'hello', labels: [] }, ['labels']],
    ['a text over the limit', 'llm.summarize', { text: 'a'.repeat(maxSummarizeTextLength + 1) }, ['text']],
    ['neither text nor file', 'llm.summarize', { length: { sentences: 2 } }, ['text']],
  ])('answers 422 at the gateway for %s', async (_name, type, input, path) => {
    const reply = await stack.client.submit(type, input);
    expect(reply.status).toBe(422);
    expect((reply.body as ErrorReply).error.details.issues?.map((issue) => issue.path)).toContainEqual(path);
  });
});
