import path from 'node:path';
import type { GantryError } from '@gantry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LlamaCppProvider, loadLlamaCppProvider } from './llama-cpp-provider.js';

// Real: node-llama-cpp's prebuilt linux-x64 binary loading the tiny random-weights GGUF from
// ../shared/models and generating with it (gibberish text, but the real load-and-generate path).
const gguf = path.resolve(
  import.meta.dirname,
  '../../../../../shared/models/llm-tiny/llama-2-tiny-random.gguf',
);

let provider: LlamaCppProvider;
beforeAll(async () => {
  provider = await loadLlamaCppProvider({ modelPath: gguf, threads: 1, contextSize: 512, gpu: false });
});
afterAll(() => provider?.dispose());

describe('the llama-cpp provider', () => {
  it('streams the generated text piece by piece and counts its tokens', async () => {
    const pieces: string[] = [];
    const answer = await provider.generate(
      [
        { role: 'system', content: 'You rewrite texts.' },
        { role: 'user', content: 'Once upon a time' },
      ],
      { maxTokens: 24, onToken: (text) => pieces.push(text) },
    );
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(answer.text);
    expect(answer.usage.prompt_tokens).toBeGreaterThan(4);
    expect(answer.usage.completion_tokens).toBeGreaterThan(0);
    expect(answer.usage.completion_tokens).toBeLessThanOrEqual(24);
    expect(provider).toMatchObject({
      name: 'llama-cpp',
      model: 'llama-2-tiny-random.gguf',
      device: { device: 'cpu' },
    });
  });

  it('holds even random weights to a JSON Schema with a grammar', async () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
    const answer = await provider.generate('Is it fine?', { schema, maxTokens: 40 });
    expect(JSON.parse(answer.text)).toEqual({ ok: expect.any(Boolean) });
  });

  it('stops when the job is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('canceled'));
    await expect(
      provider.generate('Once upon a time', { signal: controller.signal, maxTokens: 50 }),
    ).rejects.toThrow();
  });

  it('fails setup with MODEL_UNAVAILABLE for a missing GGUF', async () => {
    const error = (await loadLlamaCppProvider({
      modelPath: '/nonexistent.gguf',
      threads: 1,
      gpu: false,
    }).catch((e: unknown) => e)) as GantryError;
    expect(error.code).toBe('MODEL_UNAVAILABLE');
  });
});
