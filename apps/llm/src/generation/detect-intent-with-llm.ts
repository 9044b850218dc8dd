import type { LlmIntentInput, LlmIntentOutput } from '@gantry/contracts';
import type { GenerativeProvider } from '../providers/generative-provider.js';
import { scoreLabels } from './score-labels.js';

/** Below this the model's best intent is not taken: an even guess is not a fit. */
const defaultMinIntentConfidence = 0.5;

/**
 * `llm.intent` on a generative provider: each intent rated on its own, so a message that fits none
 * scores low everywhere and answers `none` (with the best intent as its runner-up).
 */
export async function detectIntentWithLlm(
  provider: GenerativeProvider,
  { text, intents, min_confidence }: LlmIntentInput,
  options: { signal?: AbortSignal },
): Promise<LlmIntentOutput> {
  const { scores, usage } = await scoreLabels(provider, text, intents, options);
  const [best, second] = scores.sort((a, b) => b.score - a.score);
  const fits = best !== undefined && best.score >= (min_confidence ?? defaultMinIntentConfidence);
  const runnerUp = fits ? second : best;
  return {
    intent: fits ? best.name : 'none',
    confidence: fits ? best.score : 1 - (best?.score ?? 0),
    runner_up: runnerUp ? { name: runnerUp.name, confidence: runnerUp.score } : null,
    method: 'llm',
    provider: provider.name,
    model: provider.model,
    usage,
  };
}
