import { type LlmSentimentOutput, maxSentimentTextLength } from '@gantry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineStack, startEngineStack, workerModule } from './engine-stack.js';
import type { ErrorReply, Job } from './gantry-client.js';

// Real: gateway over HTTP, Redis queue, Postgres, the llm worker and its sentiment engine process.
let stack: EngineStack;
beforeAll(async () => {
  stack = await startEngineStack('llm', [{ module: workerModule('llm'), app: 'llm' }]);
});
afterAll(() => stack?.close());

describe('llm.sentiment through the whole stack', () => {
  const classify = async (text: string) => {
    const reply = await stack.client.submit<Job<LlmSentimentOutput>>('llm.sentiment', { text }, 30);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.status).toBe('succeeded');
    return reply.body.output as LlmSentimentOutput;
  };

  it.each([
    [
      'positive',
      'Thank you so much, the replacement arrived a day early and works perfectly. Great service!',
    ],
    ['negative', 'The parcel arrived broken, nobody answers the phone and I want my money back.'],
    [
      'negative',
      'I would be grateful if you could finally look into this, it is the third time I have written',
    ],
    ['neutral', 'Could you tell me which sizes the blue jacket comes in?'],
  ] as const)('reads %s in "%s"', async (label, text) => {
    const output = await classify(text);
    expect(output).toMatchObject({ label, language: 'en', language_supported: true });
    expect(output.confidence).toBeGreaterThan(0.5);
    if (label === 'positive') expect(output.score).toBeGreaterThan(0);
    if (label === 'negative') expect(output.score).toBeLessThan(0);
  });

  it('flags text in a language the model does not read instead of guessing', async () => {
    const output = await classify('Das Paket kam beschädigt an und niemand beantwortet meine E-Mails.');
    expect(output).toMatchObject({
      language: 'de',
      language_supported: false,
      label: 'neutral',
      confidence: 0,
    });
  });

  it.each([
    ['empty text', ''],
    ['whitespace', ' \n\t  '],
  ])('answers 422 at the gateway for %s, naming the field', async (_name, text) => {
    const reply = await stack.client.submit('llm.sentiment', { text });
    expect(reply.status).toBe(422);
    expect((reply.body as ErrorReply).error.details.issues?.map((issue) => issue.path)).toContainEqual([
      'text',
    ]);
  });

  it('refuses text over the length limit before it is queued', async () => {
    const reply = await stack.client.submit('llm.sentiment', {
      text: 'a'.repeat(maxSentimentTextLength + 1),
    });
    expect(reply.status).toBe(422);
    expect((reply.body as ErrorReply).error.details.issues?.[0]).toMatchObject({
      path: ['text'],
      message: `text must be at most ${maxSentimentTextLength} characters`,
    });
  });
});
