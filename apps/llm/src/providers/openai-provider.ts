import { ChatOpenAICompletions } from '@langchain/openai';
import type { GenerativeProvider } from './generative-provider.js';
import { toTurns } from './generative-provider.js';
import { streamChatModel } from './stream-chat-model.js';

export interface OpenAiSettings {
  model: string;
  /** Any OpenAI-compatible server (vLLM, llama.cpp server, LM Studio); OpenAI's API when left out. */
  baseUrl?: string;
  apiKey?: string;
}

/**
 * Any OpenAI-compatible server through LangChain. Always the Chat Completions API (every compatible
 * server speaks it; ChatOpenAI would switch some model names to the Responses API), and LangChain's
 * own retries are off: the resilience layer retries 429s itself, honouring Retry-After.
 */
export function createOpenAiProvider(settings: OpenAiSettings): GenerativeProvider {
  return {
    name: 'openai',
    model: settings.model,
    generate(prompt, { schema, onToken, signal, maxTokens } = {}) {
      const chat = new ChatOpenAICompletions({
        model: settings.model,
        // Local servers take no key, but the client insists on one.
        apiKey: settings.apiKey ?? 'unused',
        configuration: settings.baseUrl ? { baseURL: settings.baseUrl } : {},
        streaming: true,
        streamUsage: true,
        maxRetries: 0,
        ...(maxTokens ? { maxTokens } : {}),
      });
      return streamChatModel(
        chat,
        toTurns(prompt),
        {
          ...(signal ? { signal } : {}),
          ...(schema
            ? {
                response_format: {
                  type: 'json_schema',
                  json_schema: { name: 'answer', schema, strict: false },
                },
              }
            : {}),
        },
        onToken,
      );
    },
  };
}
