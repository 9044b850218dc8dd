import { GantryError, type LabelDefinition } from '@gantry/contracts';
import type { ReadEnglish } from './english-nlp.js';
import {
  centroid,
  cosine,
  inverseDocumentFrequency,
  type TermVector,
  termsOf,
  tfIdfVector,
} from './term-vectors.js';

export interface LabelSimilarity {
  name: string;
  /** 0..1: a blend of the cosine to the closest example and to the label's centroid. */
  similarity: number;
}

export interface ExampleClassifier {
  /** Every label, most similar first. */
  similarities(text: string): LabelSimilarity[];
}

/**
 * Stems, plus character 4-grams of each word ("shipment" shares "ship" with "shipped", a typo
 * most of its grams with the word it misspells): with 5 examples a label, few words recur exactly.
 */
function featuresOf(tokens: Parameters<typeof termsOf>[0]): string[] {
  const terms = termsOf(tokens);
  const grams: string[] = [];
  for (const token of tokens) {
    if (token.type !== 'word' || token.stopWord || token.normal.length < 4) continue;
    const padded = `<${token.normal}>`;
    for (let i = 0; i + 4 <= padded.length; i++) grams.push(`~${padded.slice(i, i + 4)}`);
  }
  return [...terms, ...grams];
}

/** The closest example says most about short texts, the centroid about the label as a whole. */
const nearestWeight = 0.6;

/**
 * Learns labels from the caller's examples, in process and in a few milliseconds: TF-IDF vectors
 * of stemmed terms, and a text's similarity to each label's nearest example and centroid. With
 * 5 examples a label this is what a support desk's macro matcher does; it cannot guess a label
 * it has no examples for, so such labels are refused with `EXAMPLES_REQUIRED`.
 */
export function trainExampleClassifier(
  read: ReadEnglish,
  labels: readonly LabelDefinition[],
): ExampleClassifier {
  const without = labels.filter((label) => (label.examples ?? []).length === 0).map((label) => label.name);
  if (without.length > 0) {
    throw new GantryError(
      'EXAMPLES_REQUIRED',
      `The local provider learns from examples; give examples for ${without.map((n) => `"${n}"`).join(', ')} (or configure an LLM provider)`,
      { details: { without_examples: without } },
    );
  }
  const texts = labels.map((label) => [
    ...(label.examples ?? []),
    ...(label.description ? [label.description] : []),
  ]);
  const terms = texts.map((examples) => examples.map((example) => featuresOf(read(example).tokens)));
  const idf = inverseDocumentFrequency(terms.flat());
  const vectors = terms.map((examples) => examples.map((example) => tfIdfVector(example, idf)));
  const centroids = vectors.map((examples) => centroid(examples));
  return {
    similarities(text) {
      // A term no example has says nothing about any label; it only dilutes the text's vector a little.
      const query: TermVector = tfIdfVector(featuresOf(read(text).tokens), idf, 1);
      return labels
        .map((label, i) => {
          const nearest = Math.max(0, ...(vectors[i] ?? []).map((example) => cosine(query, example)));
          const middle = cosine(query, centroids[i] ?? new Map());
          return { name: label.name, similarity: nearestWeight * nearest + (1 - nearestWeight) * middle };
        })
        .sort((a, b) => b.similarity - a.similarity);
    },
  };
}
