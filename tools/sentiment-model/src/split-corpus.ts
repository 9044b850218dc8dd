import { createHash } from 'node:crypto';
import { sentimentLabels } from '@gantry/llm-worker/sentiment-model';
import type { CorpusExample } from './read-corpus.js';

/** Where a text falls is decided by the hash of its text alone: no seed, no file order. */
const textHash = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Gives each example a stratum position: within its label, examples are ranked by text hash, so
 * every label is spread evenly over held-out split and folds.
 */
function rankWithinLabel<T extends CorpusExample>(examples: readonly T[]): { example: T; rank: number }[] {
  return sentimentLabels.flatMap((label) =>
    examples
      .filter((example) => example.label === label)
      .map((example) => ({ example, hash: textHash(example.text) }))
      .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0))
      .map(({ example }, rank) => ({ example, rank })),
  );
}

/** The fixed held-out split: every fifth example of each label by text hash (20 %), never trained on. */
export function splitCorpus<T extends CorpusExample>(examples: readonly T[]): { train: T[]; heldOut: T[] } {
  const ranked = rankWithinLabel(examples);
  const isHeldOut = new Set(ranked.filter(({ rank }) => rank % 5 === 0).map(({ example }) => example));
  return {
    train: examples.filter((example) => !isHeldOut.has(example)),
    heldOut: examples.filter((example) => isHeldOut.has(example)),
  };
}

/** k stratified folds for cross-validation, each a train/test pair; the test parts partition the examples. */
export function stratifiedFolds<T extends CorpusExample>(examples: readonly T[], k: number) {
  const foldOf = new Map(rankWithinLabel(examples).map(({ example, rank }) => [example, rank % k]));
  return Array.from({ length: k }, (_, fold) => ({
    train: examples.filter((example) => foldOf.get(example) !== fold),
    test: examples.filter((example) => foldOf.get(example) === fold),
  }));
}
