import { GantryError } from '@gantry/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { json, openAiStream, silence, startScriptedServer } from '../testing/scripted-http-server.js';
import { createOpenAiProvider } from './openai-provider.js';
import { defaultResilience, withResilience } from './resilient-provider.js';

// Real: the @langchain/openai client over HTTP to a local server that speaks the Chat Completions
// wire protocol (SSE chunks, usage chunk, error bodies, Retry-After); cockatiel's policies.
let server: Awaited<ReturnType<typeof startScriptedServer>> | undefined;
afterEach(() => server?.close());

async function providerFor(replies: Parameters<typeof startScriptedServer>[0], resilience = {}) {
  server = await startScriptedServer(replies);
  const raw = createOpenAiProvider({ model: 'test-model', baseUrl: `${server.url}/v1`, apiKey: 'sk-test' });
  return withResilience(raw, { ...defaultResilience, timeoutMs: 2_000, backoffMs: 10, ...resilience });
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as GantryError,
  );

describe('the OpenAI-compatible provider', () => {
  it('streams the chunks in order, records the usage and sends the Chat Completions request', async () => {
    const provider = await providerFor([
      openAiStream(['Hel', 'lo', ' there'], { prompt_tokens: 21, completion_tokens: 3 }),
    ]);
    const pieces: string[] = [];
    const answer = await provider.generate(
      [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello' },
      ],
      { maxTokens: 50, onToken: (text) => pieces.push(text) },
    );
    expect(pieces).toEqual(['Hel', 'lo', ' there']);
    expect(answer).toEqual({
      text: 'Hello there',
      usage: { prompt_tokens: 21, completion_tokens: 3 },
      finishReason: 'stop',
    });
    const [request] = server?.requests ?? [];
    expect(request).toMatchObject({ method: 'POST', url: '/v1/chat/completions' });
    expect(request?.headers.authorization).toBe('Bearer sk-test');
    expect(request?.body).toMatchObject({
      model: 'test-model',
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello' },
      ],
    });
    expect(request?.body['max_tokens'] ?? request?.body['max_completion_tokens']).toBe(50);
  });

  it('asks for structured output with the JSON Schema and reports a cut-off answer', async () => {
    const provider = await providerFor([openAiStream(['{"a":'], undefined, 'length')]);
    const schema = { type: 'object', properties: { a: { type: 'number' } } };
    const answer = await provider.generate('extract', { schema });
    expect(answer.finishReason).toBe('length');
    expect(server?.requests[0]?.body['response_format']).toEqual({
      type: 'json_schema',
      json_schema: { name: 'answer', schema, strict: false },
    });
  });

  it('fails as LLM_PROVIDER_REJECTED, not retryable, with the error body of a 4xx', async () => {
    const provider = await providerFor([
      json(404, {
        error: { message: 'The model `test-model` does not exist', type: 'invalid_request_error' },
      }),
    ]);
    const error = await failure(provider.generate('hi'));
    expect(error).toBeInstanceOf(GantryError);
    expect(error.toInfo()).toMatchObject({
      code: 'LLM_PROVIDER_REJECTED',
      retryable: false,
      details: { status: 404 },
    });
    expect(error.message).toContain('does not exist');
    expect(server?.requests).toHaveLength(1);
  });

  it('waits out the Retry-After of a 429, then succeeds', async () => {
    const provider = await providerFor([
      json(429, { error: { message: 'Rate limit reached' } }, { 'retry-after': '1' }),
      openAiStream(['ok']),
    ]);
    const started = performance.now();
    const answer = await provider.generate('hi');
    expect(answer.text).toBe('ok');
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(server?.requests).toHaveLength(2);
  });

  it('gives up on a provider that keeps answering 429: retryable LLM_PROVIDER_UNAVAILABLE', async () => {
    const provider = await providerFor([json(429, { error: { message: 'slow down' } })], {
      rateLimitRetries: 2,
    });
    const error = await failure(provider.generate('hi'));
    expect(error.toInfo()).toMatchObject({
      code: 'LLM_PROVIDER_UNAVAILABLE',
      retryable: true,
      details: { reason: 'rate_limited', status: 429 },
    });
    expect(server?.requests).toHaveLength(3);
  });

  it('times a silent provider out as LLM_PROVIDER_UNAVAILABLE', async () => {
    const provider = await providerFor([silence], { timeoutMs: 300 });
    const started = performance.now();
    const error = await failure(provider.generate('hi'));
    expect(error.toInfo()).toMatchObject({
      code: 'LLM_PROVIDER_UNAVAILABLE',
      retryable: true,
      details: { reason: 'timeout' },
    });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('opens the circuit after consecutive outages: later calls fail at once, without a request', async () => {
    const provider = await providerFor([json(503, { error: { message: 'overloaded' } })], {
      breakerThreshold: 2,
      breakerHalfOpenMs: 60_000,
    });
    for (let i = 0; i < 2; i++) {
      expect((await failure(provider.generate('hi'))).toInfo()).toMatchObject({
        code: 'LLM_PROVIDER_UNAVAILABLE',
        details: { reason: 'server_error', status: 503 },
      });
    }
    const error = await failure(provider.generate('hi'));
    expect(error.toInfo()).toMatchObject({
      code: 'LLM_PROVIDER_UNAVAILABLE',
      retryable: true,
      details: { reason: 'circuit_open' },
    });
    expect(server?.requests).toHaveLength(2);
  });

  it('counts timeouts as outages too: a hung provider opens the circuit', async () => {
    const provider = await providerFor([silence], {
      timeoutMs: 200,
      breakerThreshold: 2,
      breakerHalfOpenMs: 60_000,
    });
    for (let i = 0; i < 2; i++) {
      expect((await failure(provider.generate('hi'))).details).toMatchObject({ reason: 'timeout' });
    }
    expect((await failure(provider.generate('hi'))).details).toMatchObject({ reason: 'circuit_open' });
    expect(server?.requests).toHaveLength(2);
  });

  it('names an unreachable provider', async () => {
    const provider = await providerFor([silence]);
    await server?.close();
    const error = await failure(provider.generate('hi'));
    expect(error.toInfo()).toMatchObject({
      code: 'LLM_PROVIDER_UNAVAILABLE',
      details: { reason: 'unreachable' },
    });
  });
});
