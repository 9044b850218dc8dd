import { stat } from 'node:fs/promises';
import path from 'node:path';
import { GantryError } from '@gantry/contracts';
import type { EngineDevice } from '@gantry/queue-runtime';
import {
  type ChatHistoryItem,
  getLlama,
  type LlamaGrammar,
  LlamaChatSession,
  LlamaLogLevel,
} from 'node-llama-cpp';
import type { ChatTurn, GenerativeProvider } from './generative-provider.js';
import { toTurns } from './generative-provider.js';

export interface LlamaCppSettings {
  /** Path of a GGUF file. */
  modelPath: string;
  /** CPU threads for generation: each engine process is one job slot, so its share of the cores. */
  threads: number;
  /** Tokens of context; left out, node-llama-cpp fits it to the model and the memory. */
  contextSize?: number;
  /** `true` (WORKER_DEVICE=gpu): CUDA or Vulkan when their prebuilt binaries are installed. */
  gpu: boolean;
}

export interface LlamaCppProvider extends GenerativeProvider {
  readonly device: EngineDevice;
  dispose(): Promise<void>;
}

function toHistory(turns: readonly ChatTurn[]): ChatHistoryItem[] {
  return turns.map((turn): ChatHistoryItem => {
    if (turn.role === 'system') return { type: 'system', text: turn.content };
    if (turn.role === 'user') return { type: 'user', text: turn.content };
    return { type: 'model', response: [turn.content] };
  });
}

/**
 * A GGUF model in this engine process through node-llama-cpp: loaded once at setup, one context
 * (one sequence, as an engine process runs one job at a time). Native generation runs here, in the
 * engine process the runtime kills on cancel or timeout, never in the worker's event loop.
 * Prebuilt binaries only (`build: "never"`): nothing is compiled or downloaded at run time.
 */
export async function loadLlamaCppProvider(settings: LlamaCppSettings): Promise<LlamaCppProvider> {
  const file = settings.modelPath;
  await stat(file).catch((error: unknown) => {
    throw new GantryError(
      'MODEL_UNAVAILABLE',
      `GGUF model ${file} cannot be read; set LLM_MODEL to a GGUF file`,
      {
        details: { file },
        cause: error,
      },
    );
  });
  const llama = await getLlama({
    gpu: settings.gpu ? 'auto' : false,
    build: 'never',
    logLevel: LlamaLogLevel.error,
    progressLogs: false,
  });
  const model = await llama.loadModel({ modelPath: file }).catch((error: unknown) => {
    throw new GantryError('MODEL_UNAVAILABLE', `GGUF model ${file} could not be loaded`, {
      details: { file },
      cause: error,
    });
  });
  const context = await model.createContext({
    threads: settings.threads,
    ...(settings.contextSize ? { contextSize: settings.contextSize } : {}),
  });
  const device: EngineDevice = {
    device: llama.gpu === false ? 'cpu' : 'gpu',
    fallback:
      settings.gpu && llama.gpu === false
        ? 'no CUDA or Vulkan build of node-llama-cpp is installed (@node-llama-cpp/linux-x64-cuda), or no GPU'
        : null,
  };

  return {
    name: 'llama-cpp',
    model: path.basename(file),
    device,
    async generate(prompt, { schema, onToken, signal, maxTokens } = {}) {
      const turns = toTurns(prompt);
      const last = turns.at(-1);
      if (last?.role !== 'user') throw new Error('a prompt must end with a user turn');
      let grammar: LlamaGrammar | undefined;
      if (schema) {
        // The JSON-schema grammar covers a subset of JSON Schema; outside it, the answer is
        // still validated (and retried) by the caller.
        grammar = await llama.createGrammarForJsonSchema(schema as never).catch(() => undefined);
      }
      const sequence = context.getSequence();
      const session = new LlamaChatSession({ contextSequence: sequence });
      try {
        session.setChatHistory(toHistory(turns.slice(0, -1)));
        const before = sequence.tokenMeter.getState();
        const { responseText, stopReason } = await session.promptWithMeta(last.content, {
          ...(maxTokens ? { maxTokens } : {}),
          ...(signal ? { signal } : {}),
          ...(grammar ? { grammar } : {}),
          ...(onToken ? { onTextChunk: onToken } : {}),
        });
        const used = sequence.tokenMeter.diff(before);
        return {
          text: responseText,
          usage: { prompt_tokens: used.usedInputTokens, completion_tokens: used.usedOutputTokens },
          finishReason: stopReason === 'maxTokens' ? 'length' : 'stop',
        };
      } finally {
        // Frees the context's one sequence (and its KV cache) for the next job.
        session.dispose();
        await sequence.dispose();
      }
    },
    async dispose() {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}
