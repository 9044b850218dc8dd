import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { GantryError } from '@gantry/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultSentimentModelPath, loadEmbeddedSentimentProvider } from './embedded-sentiment-provider.js';
import type { SentimentProvider } from './sentiment-provider.js';

// Real model: the artefact built by `nx run @gantry/sentiment-model:train` (a dependency of this
// project's test target) and fastText's language model from the fasttext.wasm.js package.
let provider: SentimentProvider;

beforeAll(async () => {
  if (!existsSync(defaultSentimentModelPath)) {
    throw new Error(`${defaultSentimentModelPath} is missing: run npx nx run @gantry/sentiment-model:train`);
  }
  provider = await loadEmbeddedSentimentProvider();
});

const labelOf = async (text: string) => (await provider.analyze(text)).label;

describe('embedded sentiment provider', () => {
  it('reports the artefact it loaded', async () => {
    const bytes = await readFile(defaultSentimentModelPath);
    expect(provider.model).toEqual({
      name: 'gantry-sentiment-en',
      version: expect.stringMatching(/^\d+\.\d+\.\d+\+[0-9a-f]{12}$/),
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
  });

  it('reads a polite complaint as negative', async () => {
    const result = await provider.analyze(
      'I would be grateful if you could finally look into this, it is the third time I have written.',
    );
    expect(result).toMatchObject({ label: 'negative', language: 'en', language_supported: true });
    expect(result.score).toBeLessThan(0);
  });

  it('reads a plain enquiry as neutral', async () => {
    expect(await labelOf('Hi, could you let me know what time the shop opens on Saturday?')).toBe('neutral');
    expect(await labelOf('Please update the billing address on my account to 4 Elm Road.')).toBe('neutral');
  });

  it('reads clear praise and clear complaints', async () => {
    const praise = await provider.analyze(
      'Absolutely love it, the staff were brilliant and so helpful. Thank you!',
    );
    expect(praise.label).toBe('positive');
    expect(praise.score).toBeGreaterThan(0.5);
    expect(praise.confidence).toBeGreaterThan(0.5);
    expect(await labelOf('Terrible service, the parcel arrived broken and nobody answers my emails.')).toBe(
      'negative',
    );
  });

  it('follows negations and contrasts', async () => {
    expect(await labelOf('not bad at all')).toBe('positive');
    expect(await labelOf('No complaints, everything arrived on time.')).toBe('positive');
    expect(await labelOf('Never again.')).toBe('negative');
    expect(await labelOf("I'm not happy with the repair.")).toBe('negative');
    expect(await labelOf('The app is nice but support ignored me for a week.')).toBe('negative');
  });

  it('keeps score and confidence in range', async () => {
    const { score, confidence } = await provider.analyze('ok');
    expect(score).toBeGreaterThanOrEqual(-1);
    expect(score).toBeLessThanOrEqual(1);
    expect(confidence).toBeGreaterThanOrEqual(1 / 3);
    expect(confidence).toBeLessThanOrEqual(1);
  });

  it('flags a text in another language instead of classifying it', async () => {
    await expect(provider.analyze('Das Paket ist leider immer noch nicht angekommen.')).resolves.toEqual({
      label: 'neutral',
      score: 0,
      confidence: 0,
      language: 'de',
      language_supported: false,
    });
    expect((await provider.analyze('Le service client est vraiment nul, je suis très déçu.')).language).toBe(
      'fr',
    );
  });

  it('reads short or letterless texts as English', async () => {
    expect(await provider.analyze('meh')).toMatchObject({ language: 'en', language_supported: true });
    expect(await provider.analyze('👍👍')).toMatchObject({ language: null, language_supported: true });
  });

  it('rejects an empty text and an aborted call', async () => {
    await expect(provider.analyze('  \n ')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ path: ['text'], message: 'text must not be empty or whitespace' }] },
    });
    const controller = new AbortController();
    controller.abort(new Error('canceled'));
    await expect(provider.analyze('fine', { signal: controller.signal })).rejects.toThrow('canceled');
  });

  it('refuses a missing artefact with MODEL_UNAVAILABLE', async () => {
    const loading = loadEmbeddedSentimentProvider({ modelPath: '/nonexistent/sentiment.json' });
    await expect(loading).rejects.toBeInstanceOf(GantryError);
    await expect(loading).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
  });
});
