import type { LlmRewrite } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import { rewritePrompt, rewriteTokenBudget } from '../generation/rewrite-prompt.js';
import { generativeModel, type GenerativeProviders } from '../providers/generative-providers.js';
import { requireGenerativeProvider } from './require-generative-provider.js';
import { streamToProgress } from './stream-to-progress.js';

/** `llm.rewrite`: text + goal → the configured generative provider, its text streamed as progress. */
export const rewriteText: Handler<typeof LlmRewrite, { generative: GenerativeProviders }> = async (
  input,
  ctx,
  { generative },
) => {
  const provider = requireGenerativeProvider(generative, 'llm.rewrite');
  // The job's `model` names the LLM that answered, not the worker's first model.
  ctx.useModel(generativeModel(provider));
  const maxTokens = rewriteTokenBudget(input);
  const answer = await provider.generate(rewritePrompt(input), {
    signal: ctx.signal,
    maxTokens,
    onToken: streamToProgress(ctx, maxTokens),
  });
  return {
    text: answer.text.trim(),
    finish_reason: answer.finishReason,
    provider: provider.name,
    model: provider.model,
    usage: answer.usage,
  };
};
