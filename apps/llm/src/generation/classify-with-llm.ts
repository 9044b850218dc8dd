import type { LlmClassifyInput, LlmClassifyOutput } from '@gantry/contracts';
import type { GenerativeProvider } from '../providers/generative-provider.js';
import { scoreLabels } from './score-labels.js';

/**
 * `llm.classify` on a generative provider. One label: the model's scores made a distribution (sum 1,
 * evenly spread when it rated every label 0); several: each score as the model gave it. Best first.
 */
export async function classifyWithLlm(
  provider: GenerativeProvider,
  { text, labels, multi_label }: LlmClassifyInput,
  options: { signal?: AbortSignal },
): Promise<LlmClassifyOutput> {
  const { scores, usage } = await scoreLabels(provider, text, labels, options);
  const total = scores.reduce((sum, { score }) => sum + score, 0);
  const scored = multi_label
    ? scores
    : scores.map(({ name, score }) => ({ name, score: total > 0 ? score / total : 1 / scores.length }));
  return {
    labels: scored.sort((a, b) => b.score - a.score),
    method: 'llm',
    provider: provider.name,
    model: provider.model,
    usage,
  };
}
