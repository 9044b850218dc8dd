import { type GantryError, LlmExtractInput } from '@gantry/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { lastMessage, openAiStream, startScriptedServer } from '../testing/scripted-http-server.js';
import { createOpenAiProvider } from '../providers/openai-provider.js';
import { maxExtractAttempts } from './ask-for-object.js';
import { extractObject } from './extract-object.js';

// Real: ajv, the @langchain/openai client and a local server speaking the Chat Completions protocol.
let server: Awaited<ReturnType<typeof startScriptedServer>> | undefined;
afterEach(() => server?.close());

const schema = {
  type: 'object',
  properties: { invoice: { type: 'string' }, total: { type: 'number', minimum: 0 } },
  required: ['invoice', 'total'],
  additionalProperties: false,
};
// Parsed as the worker parses a job's input.
const input = LlmExtractInput.parse({ text: 'Invoice INV-7 totals 120.50 EUR.', schema });

async function providerFor(replies: Parameters<typeof startScriptedServer>[0]) {
  server = await startScriptedServer(replies);
  return createOpenAiProvider({ model: 'm', baseUrl: `${server.url}/v1` });
}

describe('extractObject', () => {
  it('shows the model its validation errors and takes the corrected answer', async () => {
    const provider = await providerFor([
      openAiStream(['```json\n{"invoice": "INV-7", "total": "120.50"}\n```'], {
        prompt_tokens: 50,
        completion_tokens: 9,
      }),
      openAiStream(['{"invoice": "INV-7", "total": 120.5}'], { prompt_tokens: 80, completion_tokens: 7 }),
    ]);
    const result = await extractObject(provider, input, { maxTokens: 100 });
    expect(result).toEqual({
      data: { invoice: 'INV-7', total: 120.5 },
      attempts: 2,
      usage: { prompt_tokens: 130, completion_tokens: 16 },
    });
    expect(lastMessage(server?.requests[1])).toContain('/total must be number');
  });

  it('fails with OUTPUT_INVALID after a bounded number of tries, naming the last errors', async () => {
    const provider = await providerFor([openAiStream(['I am not sure, sorry.'])]);
    const error = (await extractObject(provider, input, { maxTokens: 100 }).catch(
      (e: unknown) => e,
    )) as GantryError;
    expect(error.toInfo()).toMatchObject({
      code: 'OUTPUT_INVALID',
      retryable: false,
      details: { attempts: maxExtractAttempts, errors: [expect.stringContaining('not JSON')] },
    });
    expect(server?.requests).toHaveLength(maxExtractAttempts);
  });

  it('refuses a schema ajv cannot compile as VALIDATION_FAILED, before any request', async () => {
    const provider = await providerFor([openAiStream(['{}'])]);
    const bad = { type: 'object', properties: { a: { $ref: '#/$defs/missing' } } };
    const error = (await extractObject(provider, LlmExtractInput.parse({ text: 'x', schema: bad }), {
      maxTokens: 10,
    }).catch((e: unknown) => e)) as GantryError;
    expect(error.toInfo()).toMatchObject({ code: 'VALIDATION_FAILED', retryable: false });
    expect(server?.requests).toHaveLength(0);
  });
});
