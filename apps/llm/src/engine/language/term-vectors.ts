import type { TextToken } from './english-nlp.js';

export type TermVector = Map<string, number>;

/**
 * Stop words that still tell intents apart ("where is my order" vs "cancel my order"; "not
 * working"): kept although wink lists them as stop words.
 */
const telling = new Set(['where', 'when', 'how', 'why', 'what', 'not', 'no', 'never', 'cannot', "n't"]);

/** The terms of a text that carry meaning: stems of words and numbers, stop words out. */
export function termsOf(tokens: readonly TextToken[]): string[] {
  return tokens
    .filter(
      (token) =>
        (token.type === 'word' || token.type === 'number') && (!token.stopWord || telling.has(token.normal)),
    )
    .map((token) => token.stem);
}

/** Smoothed inverse document frequency (as scikit-learn's): a term in every document still weighs 1. */
export function inverseDocumentFrequency(documents: readonly string[][]): Map<string, number> {
  const df = new Map<string, number>();
  for (const terms of documents) for (const term of new Set(terms)) df.set(term, (df.get(term) ?? 0) + 1);
  const n = documents.length;
  return new Map([...df].map(([term, count]) => [term, Math.log((1 + n) / (1 + count)) + 1]));
}

/** TF-IDF with sublinear term frequency, L2-normalised so a dot product is a cosine. */
export function tfIdfVector(
  terms: readonly string[],
  idf: ReadonlyMap<string, number>,
  unseenIdf = 0,
): TermVector {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  const vector: TermVector = new Map();
  for (const [term, count] of counts) {
    const weight = (1 + Math.log(count)) * (idf.get(term) ?? unseenIdf);
    if (weight > 0) vector.set(term, weight);
  }
  return normalised(vector);
}

export function normalised(vector: TermVector): TermVector {
  const norm = Math.sqrt([...vector.values()].reduce((sum, w) => sum + w * w, 0));
  if (norm === 0) return vector;
  return new Map([...vector].map(([term, weight]) => [term, weight / norm]));
}

/** Cosine of two L2-normalised vectors. */
export function cosine(a: TermVector, b: TermVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, weight] of small) dot += weight * (large.get(term) ?? 0);
  return dot;
}

/** The mean of vectors, normalised: a label's centroid. */
export function centroid(vectors: readonly TermVector[]): TermVector {
  const sum: TermVector = new Map();
  for (const vector of vectors)
    for (const [term, weight] of vector) sum.set(term, (sum.get(term) ?? 0) + weight);
  return normalised(sum);
}
