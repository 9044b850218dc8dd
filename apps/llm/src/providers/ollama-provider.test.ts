import type { GantryError } from '@gantry/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { json, ollamaStream, silence, startScriptedServer } from '../testing/scripted-http-server.js';
import { createOllamaProvider } from './ollama-provider.js';
import { defaultResilience, withResilience } from './resilient-provider.js';

// Real: @langchain/ollama (and ollama-js) over HTTP to a local server that speaks Ollama's /api/chat
// protocol (NDJSON stream, eval counts, error bodies); cockatiel's policies.
let server: Awaited<ReturnType<typeof startScriptedServer>> | undefined;
afterEach(() => server?.close());

async function providerFor(replies: Parameters<typeof startScriptedServer>[0], timeoutMs = 2_000) {
  server = await startScriptedServer(replies);
  return withResilience(createOllamaProvider({ model: 'llama3.2', baseUrl: server.url }), {
    ...defaultResilience,
    timeoutMs,
    backoffMs: 10,
  });
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as GantryError,
  );

describe('the Ollama provider', () => {
  it('streams the NDJSON chunks, records the eval counts and sends the /api/chat request', async () => {
    const provider = await providerFor([
      ollamaStream(['Bon', 'jour'], { prompt_eval_count: 9, eval_count: 2 }),
    ]);
    const pieces: string[] = [];
    const schema = { type: 'object', properties: { greeting: { type: 'string' } } };
    const answer = await provider.generate('Say hello in French', {
      schema,
      maxTokens: 40,
      onToken: (text) => pieces.push(text),
    });
    expect(pieces).toEqual(['Bon', 'jour']);
    expect(answer).toEqual({
      text: 'Bonjour',
      usage: { prompt_tokens: 9, completion_tokens: 2 },
      finishReason: 'stop',
    });
    expect(server?.requests[0]).toMatchObject({
      method: 'POST',
      url: '/api/chat',
      body: {
        model: 'llama3.2',
        stream: true,
        format: schema,
        options: { num_predict: 40 },
        messages: [{ role: 'user', content: 'Say hello in French' }],
      },
    });
  });

  it('fails as LLM_PROVIDER_REJECTED with the error body of an unknown model', async () => {
    const provider = await providerFor([json(404, { error: "model 'llama3.2' not found" })]);
    const error = await failure(provider.generate('hi'));
    expect(error.toInfo()).toMatchObject({
      code: 'LLM_PROVIDER_REJECTED',
      retryable: false,
      details: { status: 404 },
    });
    expect(error.message).toContain("model 'llama3.2' not found");
  });

  it('waits out the Retry-After of a 429, then succeeds', async () => {
    const provider = await providerFor([
      json(429, { error: 'busy' }, { 'retry-after': '1' }),
      ollamaStream(['ok']),
    ]);
    const started = performance.now();
    expect((await provider.generate('hi')).text).toBe('ok');
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(server?.requests).toHaveLength(2);
  });

  it('times a silent server out instead of hanging', async () => {
    const provider = await providerFor([silence], 300);
    const error = await failure(provider.generate('hi'));
    expect(error.toInfo()).toMatchObject({
      code: 'LLM_PROVIDER_UNAVAILABLE',
      details: { reason: 'timeout' },
    });
  });

  it('fails a server error as retryable LLM_PROVIDER_UNAVAILABLE', async () => {
    const provider = await providerFor([json(500, { error: 'out of memory' })]);
    const error = await failure(provider.generate('hi'));
    expect(error.toInfo()).toMatchObject({
      code: 'LLM_PROVIDER_UNAVAILABLE',
      retryable: true,
      details: { reason: 'server_error', status: 500 },
    });
  });
});
