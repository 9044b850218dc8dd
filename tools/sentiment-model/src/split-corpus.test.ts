import { sentimentLabels } from '@gantry/llm-worker/sentiment-model';
import { describe, expect, it } from 'vitest';
import type { CorpusExample } from './read-corpus.js';
import { splitCorpus, stratifiedFolds } from './split-corpus.js';

const examples: CorpusExample[] = sentimentLabels.flatMap((label) =>
  Array.from({ length: 40 }, (_, i) => ({
    text: `${label} text ${i}`,
    label,
    domain: 'test',
    source: 'written' as const,
  })),
);

describe('splitCorpus', () => {
  it('holds out a fifth of every label, disjoint from training', () => {
    const { train, heldOut } = splitCorpus(examples);
    for (const label of sentimentLabels) {
      expect(heldOut.filter((example) => example.label === label)).toHaveLength(8);
    }
    expect(train).toHaveLength(96);
    expect(train.some((example) => heldOut.includes(example))).toBe(false);
  });

  it('depends on the texts, not on their order', () => {
    const texts = (list: CorpusExample[]) => list.map((example) => example.text).sort();
    expect(texts(splitCorpus([...examples].reverse()).heldOut)).toEqual(texts(splitCorpus(examples).heldOut));
  });
});

describe('stratifiedFolds', () => {
  it('partitions the examples into k stratified test parts', () => {
    const folds = stratifiedFolds(examples, 5);
    expect(folds.flatMap((fold) => fold.test)).toHaveLength(examples.length);
    expect(new Set(folds.flatMap((fold) => fold.test)).size).toBe(examples.length);
    for (const fold of folds) {
      expect(fold.train.length + fold.test.length).toBe(examples.length);
      expect(fold.test.filter((example) => example.label === 'neutral')).toHaveLength(8);
    }
  });
});
