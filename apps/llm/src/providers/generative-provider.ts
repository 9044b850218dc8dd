import type { GenerativeProviderName, TokenUsage } from '@gantry/contracts';

export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface GenerateOptions {
  /** A JSON Schema the answer must follow: the provider's structured output (or grammar) where it has one. */
  schema?: Record<string, unknown>;
  /** Each piece of text as it is generated, in order; their concatenation is the answer. */
  onToken?: (text: string) => void;
  /** Aborted on cancel or job timeout. */
  signal?: AbortSignal;
  /** The most tokens to generate. */
  maxTokens?: number;
}

export interface Generation {
  text: string;
  usage: TokenUsage;
  /** `length`: the token budget ran out before the model ended its answer. */
  finishReason: 'stop' | 'length';
}

/**
 * A generative LLM behind one interface: OpenAI-compatible servers, Ollama, or a GGUF in process.
 * What handlers (and later summarize, intent, classify, sentiment) use when a deployment configures one.
 */
export interface GenerativeProvider {
  readonly name: GenerativeProviderName;
  /** The model as configured: a model name, or the GGUF file's name. */
  readonly model: string;
  generate(prompt: string | readonly ChatTurn[], options?: GenerateOptions): Promise<Generation>;
}

export const toTurns = (prompt: string | readonly ChatTurn[]): readonly ChatTurn[] =>
  typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : prompt;
