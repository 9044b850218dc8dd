import path from 'node:path';
import type { LlmExtractOutput, LlmRewriteOutput } from '@gantry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineStack, startEngineStack, workerModule } from './engine-stack.js';
import type { ErrorReply, Job } from './gantry-client.js';

// Real: gateway over HTTP, Redis queue, Postgres, the llm worker whose engine process loads the tiny
// random-weights GGUF with node-llama-cpp and generates with it (its text is gibberish; the path is real).
const gguf = path.resolve(
  import.meta.dirname,
  '../../../../../shared/models/llm-tiny/llama-2-tiny-random.gguf',
);

let stack: EngineStack;
beforeAll(async () => {
  stack = await startEngineStack('llm-generate', [
    {
      module: workerModule('llm'),
      app: 'llm',
      env: { LLM_PROVIDER: 'llama-cpp', LLM_MODEL: gguf, LLM_THREADS: '1', LLM_CONTEXT_SIZE: '2048' },
    },
  ]);
  // node-llama-cpp's native binary and the model load slowly on a busy 2-core machine.
}, 120_000);
afterAll(() => stack?.close());

describe('generative job types on the llama-cpp provider, through the whole stack', () => {
  it('streams llm.rewrite into SSE progress: the text grows, then the output holds it with its usage', async () => {
    const text =
      'Dear customer, we regret to inform you that the delivery of your order has been postponed due to unforeseen logistical constraints. '.repeat(
        12,
      );
    const reply = await stack.client.submit<Job<LlmRewriteOutput>>('llm.rewrite', {
      text,
      goal: { tone: 'friendly', plain_language: true },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    const events = await stack.client.events(reply.body.id);
    const messages = events
      .filter((event) => event.event === 'progress')
      .map((event) => (event.data as { message: string | null }).message ?? '');
    expect(messages.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < messages.length; i++) {
      expect(messages[i]?.startsWith(messages[i - 1] ?? '')).toBe(true);
      expect(messages[i]?.length).toBeGreaterThan(messages[i - 1]?.length ?? 0);
    }
    const job = await stack.client.job<LlmRewriteOutput>(reply.body.id);
    expect(job.status).toBe('succeeded');
    expect(job.output?.text).toContain(messages.at(-1)?.trim().slice(0, 20));
    expect(job.output).toMatchObject({ provider: 'llama-cpp', model: 'llama-2-tiny-random.gguf' });
    expect(job.model?.name).toBe('llama-cpp:llama-2-tiny-random.gguf');
    expect(job.output?.usage.prompt_tokens).toBeGreaterThan(50);
    expect(job.output?.usage.completion_tokens).toBeGreaterThan(0);
  });

  it('answers llm.extract with an object valid against the caller schema (grammar-constrained)', async () => {
    const schema = {
      type: 'object',
      properties: { urgent: { type: 'boolean' }, order: { type: 'string', maxLength: 12 } },
      required: ['urgent', 'order'],
      additionalProperties: false,
    };
    const reply = await stack.client.submit<Job<LlmExtractOutput>>(
      'llm.extract',
      { text: 'Order A-1182 has still not arrived, please hurry!', schema },
      30,
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.status).toBe('succeeded');
    expect(reply.body.output?.data).toEqual({ urgent: expect.any(Boolean), order: expect.any(String) });
    expect(reply.body.output?.attempts).toBe(1);
  });

  it.each([
    [
      'a misspelt type',
      { type: 'object', properties: { a: { type: 'strnig' } } },
      ['schema', 'properties', 'a', 'type'],
    ],
    ['a root that is not an object', { type: 'array', items: { type: 'string' } }, ['schema']],
    [
      'required that is not a list',
      { type: 'object', properties: {}, required: 'a' },
      ['schema', 'required'],
    ],
  ])('refuses an invalid JSON Schema (%s) with 422 at submission', async (_name, schema, path) => {
    const reply = await stack.client.submit('llm.extract', { text: 'hello', schema });
    expect(reply.status).toBe(422);
    expect((reply.body as ErrorReply).error.details.issues?.map((issue) => issue.path)).toContainEqual(path);
  });

  it('refuses a rewrite with no goal and an empty text at submission', async () => {
    const reply = await stack.client.submit('llm.rewrite', { text: ' ', goal: {} });
    expect(reply.status).toBe(422);
    const paths = (reply.body as ErrorReply).error.details.issues?.map((issue) => issue.path);
    expect(paths).toContainEqual(['text']);
    expect(paths).toContainEqual(['goal']);
  });
});
