import type { LabelDefinition } from '@gantry/contracts';
import type { ReadEnglish } from './english-nlp.js';
import { type ExampleClassifier, trainExampleClassifier } from './example-classifier.js';

/** Label sets a worker keeps trained: a desk sends the same few again and again. */
const capacity = 64;

/**
 * Trains a label set once and reuses it while it is among the most recently used: training reads
 * every example with wink, by far the largest part of a short job.
 */
export function createClassifierCache(
  read: ReadEnglish,
): (labels: readonly LabelDefinition[]) => ExampleClassifier {
  const trained = new Map<string, ExampleClassifier>();
  return (labels) => {
    const key = JSON.stringify(labels);
    const hit = trained.get(key);
    if (hit) {
      trained.delete(key);
      trained.set(key, hit);
      return hit;
    }
    const classifier = trainExampleClassifier(read, labels);
    trained.set(key, classifier);
    if (trained.size > capacity) trained.delete(trained.keys().next().value ?? key);
    return classifier;
  };
}
