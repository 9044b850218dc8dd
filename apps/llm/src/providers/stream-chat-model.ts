import type { BaseChatModel, BaseChatModelCallOptions } from '@langchain/core/language_models/chat_models';
import { AIMessage, type AIMessageChunk, HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { ChatTurn, Generation } from './generative-provider.js';
import { classifyProviderError } from './provider-failure.js';

const toMessage = (turn: ChatTurn) =>
  turn.role === 'system'
    ? new SystemMessage(turn.content)
    : turn.role === 'assistant'
      ? new AIMessage(turn.content)
      : new HumanMessage(turn.content);

/**
 * Streams a LangChain chat model's answer: each text chunk goes to `onToken` as it arrives, and the
 * chunks are merged so the usage the server reports at the end (OpenAI's include_usage, Ollama's
 * eval counts) is read from the whole answer. Failures come out classified for the resilience policies.
 */
export async function streamChatModel(
  model: BaseChatModel,
  turns: readonly ChatTurn[],
  options: BaseChatModelCallOptions & Record<string, unknown>,
  onToken?: (text: string) => void,
): Promise<Generation> {
  let merged: AIMessageChunk | undefined;
  try {
    const stream = await model.stream(turns.map(toMessage), options);
    for await (const chunk of stream) {
      const text = chunk.text;
      if (text) onToken?.(text);
      merged = merged ? merged.concat(chunk) : chunk;
    }
  } catch (error) {
    throw classifyProviderError(error);
  }
  const metadata = merged?.response_metadata ?? {};
  const reason = metadata['finish_reason'] ?? metadata['done_reason'];
  return {
    text: merged?.text ?? '',
    usage: {
      prompt_tokens: merged?.usage_metadata?.input_tokens ?? 0,
      completion_tokens: merged?.usage_metadata?.output_tokens ?? 0,
    },
    finishReason: reason === 'length' ? 'length' : 'stop',
  };
}
