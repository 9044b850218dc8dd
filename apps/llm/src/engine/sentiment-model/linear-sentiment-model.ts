import { extractFeatures, type FeatureConfig } from './extract-features.js';
import type { SentimentArtefact } from './sentiment-artefact.js';
import { type SentimentLabel, sentimentLabels } from './sentiment-labels.js';

/** Probabilities in `sentimentLabels` order (negative, neutral, positive); they sum to 1. */
export type SentimentProbabilities = [number, number, number];

export function softmax(logits: readonly number[]): SentimentProbabilities {
  const max = Math.max(...logits);
  const exps = logits.map((logit) => Math.exp(logit - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return [(exps[0] ?? 0) / sum, (exps[1] ?? 0) / sum, (exps[2] ?? 0) / sum];
}

/** The most probable label (the first of equals, in `sentimentLabels` order). */
export function mostProbableLabel(probabilities: SentimentProbabilities): SentimentLabel {
  let best = 0;
  probabilities.forEach((probability, k) => {
    if (probability > (probabilities[best] ?? 0)) best = k;
  });
  return sentimentLabels[best] ?? 'neutral';
}

/** Scores texts with the weights of a trained artefact; the same code the training tool evaluates with. */
export class LinearSentimentModel {
  private readonly rowOf: Map<number, number>;

  private constructor(
    private readonly features: FeatureConfig,
    private readonly bias: readonly number[],
    private readonly weights: Float64Array,
    slots: readonly number[],
  ) {
    this.rowOf = new Map(slots.map((slot, row) => [slot, row]));
  }

  static fromArtefact(artefact: Pick<SentimentArtefact, 'features' | 'bias' | 'slots' | 'weights'>) {
    if (artefact.weights.length !== artefact.slots.length * 3) {
      throw new Error(`artefact has ${artefact.weights.length} weights for ${artefact.slots.length} slots`);
    }
    return new LinearSentimentModel(
      artefact.features,
      artefact.bias,
      Float64Array.from(artefact.weights),
      artefact.slots,
    );
  }

  probabilities(text: string): SentimentProbabilities {
    const { indices, values } = extractFeatures(text, this.features);
    const logits = [...this.bias];
    indices.forEach((slot, i) => {
      const row = this.rowOf.get(slot);
      const value = values[i] ?? 0;
      if (row === undefined) return;
      for (let k = 0; k < 3; k++) logits[k] = (logits[k] ?? 0) + value * (this.weights[row * 3 + k] ?? 0);
    });
    return softmax(logits);
  }
}
