import { ChatOllama } from '@langchain/ollama';
import type { GenerativeProvider } from './generative-provider.js';
import { toTurns } from './generative-provider.js';
import { failureForStatus } from './provider-failure.js';
import { streamChatModel } from './stream-chat-model.js';

export interface OllamaSettings {
  model: string;
  /** http://127.0.0.1:11434 when left out. */
  baseUrl?: string;
}

/**
 * The fetch ollama-js uses, for one call: it carries the call's signal (ChatOllama only checks it
 * between chunks, so a server that never answers would hang), and turns a 429 into a failure that
 * keeps Retry-After, which ollama-js's own error drops.
 */
const fetchFor =
  (signal: AbortSignal | undefined): typeof fetch =>
  async (input, init) => {
    const signals = [init?.signal, signal].filter((s): s is AbortSignal => s instanceof AbortSignal);
    const response = await fetch(input, { ...init, signal: AbortSignal.any(signals) });
    if (response.status === 429) {
      const body = await response.text().catch(() => '');
      throw failureForStatus(429, body || 'rate limited', response.headers);
    }
    return response;
  };

/** A model served by Ollama, through LangChain's Ollama integration. */
export function createOllamaProvider(settings: OllamaSettings): GenerativeProvider {
  return {
    name: 'ollama',
    model: settings.model,
    generate(prompt, { schema, onToken, signal, maxTokens } = {}) {
      const chat = new ChatOllama({
        model: settings.model,
        ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
        streaming: true,
        maxRetries: 0,
        fetch: fetchFor(signal),
        ...(maxTokens ? { numPredict: maxTokens } : {}),
        ...(schema ? { format: schema } : {}),
      });
      return streamChatModel(chat, toTurns(prompt), signal ? { signal } : {}, onToken);
    },
  };
}
