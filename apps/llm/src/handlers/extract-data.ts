import type { LlmExtract } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import { extractObject } from '../generation/extract-object.js';
import { generativeModel, type GenerativeProviders } from '../providers/generative-providers.js';
import { requireGenerativeProvider } from './require-generative-provider.js';
import { streamToProgress } from './stream-to-progress.js';

/** `llm.extract`: text + the caller's JSON Schema → an object valid against it. */
export const extractData: Handler<typeof LlmExtract, { generative: GenerativeProviders }> = async (
  input,
  ctx,
  { generative },
) => {
  const provider = requireGenerativeProvider(generative, 'llm.extract');
  // The job's `model` names the LLM that answered, not the worker's first model.
  ctx.useModel(generativeModel(provider));
  const maxTokens = Math.min(4_096, 512 + Math.ceil(input.text.length / 4));
  const { data, attempts, usage } = await extractObject(provider, input, {
    signal: ctx.signal,
    maxTokens,
    onToken: streamToProgress(ctx, maxTokens),
  });
  return { data, attempts, provider: provider.name, model: provider.model, usage };
};
