import {
  defaultFeatureConfig,
  extractFeatures,
  type FeatureConfig,
  sentimentLabels,
  softmax,
} from '@gantry/llm-worker/sentiment-model';
import { minimiseLbfgs } from './minimise-lbfgs.js';
import type { CorpusExample } from './read-corpus.js';

export interface TrainOptions {
  features: FeatureConfig;
  /** L2 penalty on the weights (not the biases), per example. */
  l2: number;
  /** Slots seen in fewer training texts than this get no weight (hapax character n-grams mostly add noise). */
  minDocumentFrequency: number;
  maxIterations: number;
}

export const defaultTrainOptions: TrainOptions = {
  features: defaultFeatureConfig,
  l2: 1e-4,
  minDocumentFrequency: 2,
  maxIterations: 400,
};

export interface TrainedWeights {
  features: FeatureConfig;
  bias: number[];
  /** Slots with a weight, ascending. */
  slots: number[];
  /** Three weights per slot, in `sentimentLabels` order. */
  weights: number[];
  iterations: number;
  objective: number;
}

const classes = sentimentLabels.length;

/** Six significant digits: plenty for a linear model, and it keeps the JSON artefact small and stable. */
const round = (value: number) => Number(value.toPrecision(6));

/**
 * Fits a multinomial logistic regression (softmax) with L2 to the examples by full-batch L-BFGS
 * from zero weights. Classes are weighted so that each label counts the same in the loss.
 * Same examples and options → same weights, bit for bit.
 */
export function trainModel(examples: readonly CorpusExample[], options: TrainOptions): TrainedWeights {
  const vectors = examples.map((example) => extractFeatures(example.text, options.features));
  const labels = examples.map((example) => sentimentLabels.indexOf(example.label));

  const documentFrequency = new Map<number, number>();
  for (const { indices } of vectors) {
    for (const slot of indices) documentFrequency.set(slot, (documentFrequency.get(slot) ?? 0) + 1);
  }
  const slots = [...documentFrequency]
    .filter(([, count]) => count >= options.minDocumentFrequency)
    .map(([slot]) => slot)
    .sort((a, b) => a - b);
  const columnOf = new Map(slots.map((slot, column) => [slot, column]));
  const rows = vectors.map(({ indices, values }) => {
    const columns: number[] = [];
    const kept: number[] = [];
    indices.forEach((slot, i) => {
      const column = columnOf.get(slot);
      if (column !== undefined) {
        columns.push(column);
        kept.push(values[i] ?? 0);
      }
    });
    return { columns, values: kept };
  });

  const perClass = sentimentLabels.map((_, k) => labels.filter((label) => label === k).length);
  const sampleWeight = labels.map((label) => 1 / (classes * (perClass[label] ?? 1)));
  const biasOffset = slots.length * classes;

  const objective = (theta: Float64Array, gradient: Float64Array) => {
    gradient.fill(0);
    let loss = 0;
    const logits = [0, 0, 0];
    rows.forEach(({ columns, values }, i) => {
      for (let k = 0; k < classes; k++) logits[k] = theta[biasOffset + k] ?? 0;
      columns.forEach((column, j) => {
        const value = values[j] ?? 0;
        for (let k = 0; k < classes; k++)
          logits[k] = (logits[k] ?? 0) + value * (theta[column * classes + k] ?? 0);
      });
      const probabilities = softmax(logits);
      const label = labels[i] ?? 0;
      const weight = sampleWeight[i] ?? 0;
      loss -= weight * Math.log(Math.max(probabilities[label] ?? 0, 1e-300));
      for (let k = 0; k < classes; k++) {
        const error = weight * ((probabilities[k] ?? 0) - (k === label ? 1 : 0));
        gradient[biasOffset + k] = (gradient[biasOffset + k] ?? 0) + error;
        columns.forEach((column, j) => {
          const at = column * classes + k;
          gradient[at] = (gradient[at] ?? 0) + error * (values[j] ?? 0);
        });
      }
    });
    for (let i = 0; i < biasOffset; i++) {
      const w = theta[i] ?? 0;
      loss += 0.5 * options.l2 * w * w;
      gradient[i] = (gradient[i] ?? 0) + options.l2 * w;
    }
    return loss;
  };

  const result = minimiseLbfgs(objective, new Float64Array(biasOffset + classes), {
    memory: 10,
    maxIterations: options.maxIterations,
    gradientTolerance: 1e-6,
    relativeTolerance: 1e-10,
  });
  return {
    features: options.features,
    bias: Array.from(result.x.subarray(biasOffset), round),
    slots,
    weights: Array.from(result.x.subarray(0, biasOffset), round),
    iterations: result.iterations,
    objective: round(result.value),
  };
}
