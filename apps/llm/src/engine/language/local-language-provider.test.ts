import { LlmDraftReplyInput, LlmIntentInput } from '@gantry/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLanguageDetector } from '../detect-language.js';
import { loadEnglishReader } from './english-nlp.js';
import type { LanguageProvider } from './language-provider.js';
import { createLocalLanguageProvider } from './local-language-provider.js';

// Real: wink-nlp's English model, compromise, fastText's language model; nothing is faked.
let provider: LanguageProvider;
beforeAll(async () => {
  provider = createLocalLanguageProvider(loadEnglishReader(), await loadLanguageDetector());
});

const intents = LlmIntentInput.shape.intents.parse([
  {
    name: 'order_status',
    examples: [
      'Where is my order?',
      'When will my parcel arrive?',
      'My package has not been delivered',
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
]);

describe('local language provider', () => {
  it('detects an intent with its runner-up, and none when nothing fits', async () => {
    await expect(provider.intent({ text: 'I need to cancel order 5531', intents })).resolves.toMatchObject({
      intent: 'cancel',
      runner_up: { name: 'order_status' },
      method: 'examples',
    });
    const none = await provider.intent({ text: 'What colour is the sky on Mars?', intents });
    expect(none.intent).toBe('none');
    expect(none.runner_up).not.toBeNull();
  });

  it("answers none below the caller's floor", async () => {
    const result = await provider.intent({ text: 'order', intents, min_confidence: 0.999 });
    expect(result.intent).toBe('none');
  });

  it('refuses labels without examples with EXAMPLES_REQUIRED, naming them', async () => {
    await expect(
      provider.classify({
        text: 'hello',
        labels: [
          { name: 'a', examples: ['x'] },
          { name: 'b', description: 'b things' },
        ],
        multi_label: false,
      }),
    ).rejects.toMatchObject({ code: 'EXAMPLES_REQUIRED', details: { without_examples: ['b'] } });
  });

  it('refuses an empty text and a text in a language it does not read', async () => {
    await expect(provider.tags({ text: ' \n', max_keywords: 5 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ path: ['text'] }] },
    });
    await expect(
      provider.summarize(
        'Le conseil municipal a approuvé mardi un nouveau budget pour les transports publics.',
        {
          length: { sentences: 1 },
          style: 'paragraph',
        },
      ),
    ).rejects.toMatchObject({ code: 'LANGUAGE_UNSUPPORTED', details: { language: 'fr' } });
  });

  it('tags a text with its language, reading time, keywords and category', async () => {
    const tags = await provider.tags({
      text: 'The app crashes every time I open the settings page after the latest update. The settings page shows error 500.',
      max_keywords: 3,
    });
    expect(tags).toMatchObject({ language: 'en', category: { name: 'technical support' } });
    expect(tags.keywords[0]?.text).toBe('settings page');
    expect(tags.word_count).toBe(20);
    expect(tags.reading_time_s).toBe(6);
  });

  it("drafts a reply from the caller's template for a new intent, reporting what it could not fill", async () => {
    const input = LlmDraftReplyInput.parse({
      message: 'Do you have the blue jacket in size M in your Leeds store?',
      templates: [
        {
          intent: 'stock_check',
          body: 'Let me check the stock for you on {{date|today}}.',
          examples: [
            'Is this item in stock?',
            'Do you have size M in the store?',
            'Is the red dress available?',
          ],
        },
      ],
    });
    const draft = await provider.draftReply(input);
    expect(draft).toMatchObject({
      intent: 'stock_check',
      template: 'caller',
      missing: ['customer_name', 'date'],
    });
    expect(draft.reply).toBe(
      'Hi there,\n\nLet me check the stock for you on today.\n\nBest wishes,\nThe support team',
    );
  });

  it('keeps a reply within max_words, sign-off apart', async () => {
    const input = LlmDraftReplyInput.parse({
      message: 'Where is my order 123?',
      constraints: { max_words: 12 },
    });
    const draft = await provider.draftReply(input);
    const [body] = draft.reply.split('\n\nBest wishes');
    expect(body?.split(/\s+/).length).toBeLessThanOrEqual(12);
    expect(body).toMatch(/…$/);
  });
});
