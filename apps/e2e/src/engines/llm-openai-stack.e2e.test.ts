import type {
  LlmClassifyOutput,
  LlmDraftReplyOutput,
  LlmIntentOutput,
  LlmRewriteOutput,
  LlmSentimentOutput,
} from '@gantry/contracts';
import { json, openAiStream, startScriptedServer } from '@gantry/llm-worker/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../harness/free-port.js';
import { type EngineStack, startEngineStack, workerModule } from './engine-stack.js';
import type { Job } from './gantry-client.js';

// Real: gateway over HTTP, Redis queue, Postgres, the llm worker and its engine process, whose
// @langchain/openai client speaks the Chat Completions protocol (streamed SSE chunks, usage chunk,
// Retry-After) over a real socket to an HTTP server started here. Only that server's answers are
// scripted: it stands in for vLLM, LM Studio or OpenAI.
type ScriptedReply = Parameters<typeof startScriptedServer>[0][number];
/** The server's next answers, in order: each test scripts what its jobs will be told. */
const script: ScriptedReply[] = [];
const unscripted = json(500, { error: { message: 'the test scripted no answer for this request' } });

let server: Awaited<ReturnType<typeof startScriptedServer>>;
let stack: EngineStack;
beforeAll(async () => {
  server = await startScriptedServer([(res, request) => (script.shift() ?? unscripted)(res, request)]);
  // Nothing listens there: llm.classify's provider is down for the whole run.
  const down = `http://127.0.0.1:${await freePort()}/v1`;
  stack = await startEngineStack('llm-openai', [
    {
      module: workerModule('llm'),
      app: 'llm',
      env: {
        LLM_PROVIDER: 'openai',
        LLM_MODEL: 'gantry-e2e',
        LLM_BASE_URL: `${server.url}/v1`,
        LLM_API_KEY: 'sk-e2e',
        LLM_PROVIDER_CLASSIFY: 'openai',
        LLM_MODEL_CLASSIFY: 'gantry-e2e',
        LLM_BASE_URL_CLASSIFY: down,
        LLM_API_KEY_CLASSIFY: 'sk-e2e',
      },
    },
  ]);
  // The worker's engine process loads wink-nlp, compromise, fastText and LangChain: over a minute on
  // the shared 2-core machine while other suites build.
}, 180_000);
afterAll(async () => {
  await stack?.close();
  await server?.close();
});

/** Requests the server got while `run` ran. */
async function requestsDuring<T>(run: () => Promise<T>) {
  const before = server.requests.length;
  const result = await run();
  return { result, requests: server.requests.slice(before) };
}

const letter =
  'Dear customer, we regret to inform you that the delivery of your order has been postponed due to unforeseen logistical constraints.';

describe('generative job types on an OpenAI-compatible server, through the whole stack', () => {
  it('streams llm.rewrite into SSE progress: the text grows token by token; the output holds it with its usage', async () => {
    const pieces = ['Sorry', ' -', ' your', ' order', ' is', ' late.', ' We are', ' on it!'];
    script.push(openAiStream(pieces, { prompt_tokens: 57, completion_tokens: 8 }, 'stop', 120));
    const { result, requests } = await requestsDuring(async () => {
      const submitted = await stack.client.submit<Job<LlmRewriteOutput>>('llm.rewrite', {
        text: letter,
        goal: { tone: 'friendly', plain_language: true },
      });
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
      // Followed from the start: a subscriber after the end would get only the finished job.
      return { id: submitted.body.id, events: await stack.client.events(submitted.body.id) };
    });
    const messages = result.events
      .filter((event) => event.event === 'progress')
      .map((event) => (event.data as { message: string | null }).message ?? '');
    expect(messages.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < messages.length; i++) {
      expect(messages[i]?.startsWith(messages[i - 1] ?? '')).toBe(true);
      expect(messages[i]?.length).toBeGreaterThan(messages[i - 1]?.length ?? 0);
    }
    expect(pieces.join('').startsWith(messages.at(-1) ?? '-')).toBe(true);

    const job = await stack.client.job<LlmRewriteOutput>(result.id);
    expect(job.status).toBe('succeeded');
    expect(job.output).toEqual({
      text: 'Sorry - your order is late. We are on it!',
      finish_reason: 'stop',
      provider: 'openai',
      model: 'gantry-e2e',
      usage: { prompt_tokens: 57, completion_tokens: 8 },
    });
    expect(job.model?.name).toBe('openai:gantry-e2e');
    // What went over the wire: one streamed Chat Completions request with the deployment's key and model.
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ method: 'POST', url: '/v1/chat/completions' });
    expect(requests[0]?.headers.authorization).toBe('Bearer sk-e2e');
    expect(requests[0]?.body).toMatchObject({ model: 'gantry-e2e', stream: true });
    expect(JSON.stringify(requests[0]?.body['messages'])).toContain('unforeseen logistical constraints');
  });

  it('waits out a 429 with Retry-After inside the attempt, then succeeds', async () => {
    script.push(
      json(429, { error: { message: 'Rate limit reached' } }, { 'retry-after': '1' }),
      openAiStream(['Your order is late.'], { prompt_tokens: 40, completion_tokens: 5 }),
    );
    const { result: job, requests } = await requestsDuring(async () => {
      const reply = await stack.client.submit<Job<LlmRewriteOutput>>(
        'llm.rewrite',
        { text: letter, goal: { length: 'shorter' } },
        30,
      );
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      return reply.body;
    });
    expect(job).toMatchObject({ status: 'succeeded', attempt: 1 });
    expect(job.output).toMatchObject({
      text: 'Your order is late.',
      usage: { prompt_tokens: 40, completion_tokens: 5 },
    });
    expect(requests).toHaveLength(2);
    expect(script).toHaveLength(0);
  });

  it('fails a job whose provider is down as retryable LLM_PROVIDER_UNAVAILABLE, after its attempts', async () => {
    const reply = await stack.client.submit<Job<LlmClassifyOutput>>('llm.classify', {
      text: 'Where is my parcel?',
      labels: [{ name: 'shipping' }, { name: 'billing' }],
    });
    expect(reply.status).toBe(202);
    const events = await stack.client.events(reply.body.id);
    const job = await stack.client.job(reply.body.id);
    expect(job).toMatchObject({
      status: 'failed',
      attempt: 3,
      max_attempts: 3,
      error: {
        code: 'LLM_PROVIDER_UNAVAILABLE',
        retryable: true,
        details: { provider: 'openai', model: 'gantry-e2e', reason: 'unreachable' },
      },
    });
    // BullMQ retried it (the error said it could), and the last attempt's error ended it.
    const errors = events
      .filter((event) => event.event === 'error')
      .map((event) => event.data as { code: string; will_retry: boolean });
    expect(errors.at(-1)).toMatchObject({ code: 'LLM_PROVIDER_UNAVAILABLE', will_retry: false });
    expect(errors.filter((error) => error.will_retry).length).toBeGreaterThanOrEqual(1);
    expect(events.some((event) => (event.data as { status?: string }).status === 'retrying')).toBe(true);
  });

  it('llm.sentiment and llm.intent on the configured provider say which provider answered, with usage', async () => {
    script.push(
      openAiStream(['{"label":"negative",', '"confidence":0.9}'], {
        prompt_tokens: 80,
        completion_tokens: 9,
      }),
    );
    const sentiment = await stack.client.submit<Job<LlmSentimentOutput>>(
      'llm.sentiment',
      { text: 'Your courier threw my parcel over the fence. Never again.' },
      30,
    );
    expect(sentiment.status, JSON.stringify(sentiment.body)).toBe(200);
    expect(sentiment.body.output).toMatchObject({
      label: 'negative',
      score: -0.9,
      confidence: 0.9,
      provider: 'openai',
      model: 'gantry-e2e',
      usage: { prompt_tokens: 80, completion_tokens: 9 },
    });
    expect(sentiment.body.model?.name).toBe('openai:gantry-e2e');

    script.push(
      openAiStream(['{"scores":{"order_status":0.92,', '"cancel":0.05}}'], {
        prompt_tokens: 120,
        completion_tokens: 14,
      }),
    );
    const intent = await stack.client.submit<Job<LlmIntentOutput>>(
      'llm.intent',
      {
        text: 'Has my order shipped yet?',
        intents: [
          { name: 'order_status', description: 'asks where an order is' },
          { name: 'cancel', description: 'wants to cancel' },
        ],
      },
      30,
    );
    expect(intent.status, JSON.stringify(intent.body)).toBe(200);
    expect(intent.body.output).toEqual({
      intent: 'order_status',
      confidence: 0.92,
      runner_up: { name: 'cancel', confidence: 0.05 },
      method: 'llm',
      provider: 'openai',
      model: 'gantry-e2e',
      usage: { prompt_tokens: 120, completion_tokens: 14 },
    });
    expect(script).toHaveLength(0);
  });

  it('keeps llm.draft-reply on its local templates with a provider configured: no request is sent', async () => {
    const { result: reply, requests } = await requestsDuring(() =>
      stack.client.submit<Job<LlmDraftReplyOutput>>(
        'llm.draft-reply',
        { message: 'Where is my order 4411? It still has not arrived. Anna' },
        30,
      ),
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.output).toMatchObject({ method: 'template' });
    expect(reply.body.output?.reply).toContain('Anna');
    expect(reply.body.model?.name).toBe('gantry-local-nlp');
    expect(requests).toHaveLength(0);
  });
});
