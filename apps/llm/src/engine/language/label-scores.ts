import type { LabelSimilarity } from './example-classifier.js';

/**
 * Turning similarities into scores. Cosines of short texts are small (0.3 is a close match), so
 * they are sharpened by a temperature; "nothing fits" competes as a pseudo-label whose similarity
 * is a fixed floor. Both constants were set by hand (a close paraphrase scores 0.3-0.5, an unrelated
 * text under 0.1), not fitted; tools/language-eval measures what they give.
 */
const temperature = 0.08;
const noneFloor = 0.12;

const round4 = (value: number) => Math.round(value * 1e4) / 1e4;

/** A distribution over the labels (sum 1), best first; with `none`, "nothing fits" takes a share. */
export function softmaxScores(
  similarities: readonly LabelSimilarity[],
  withNone: boolean,
): { name: string; score: number }[] {
  const entries = withNone ? [...similarities, { name: 'none', similarity: noneFloor }] : [...similarities];
  const top = Math.max(...entries.map((e) => e.similarity));
  const exps = entries.map((e) => Math.exp((e.similarity - top) / temperature));
  const sum = exps.reduce((a, b) => a + b, 0);
  return entries
    .map((e, i) => ({ name: e.name, score: round4((exps[i] ?? 0) / sum) }))
    .sort((a, b) => b.score - a.score);
}

/** Each label on its own, 0..1: 0.5 at the "nothing fits" floor. */
export function independentScores(
  similarities: readonly LabelSimilarity[],
): { name: string; score: number }[] {
  return similarities
    .map((s) => ({
      name: s.name,
      score: round4(1 / (1 + Math.exp(-(s.similarity - noneFloor) / temperature))),
    }))
    .sort((a, b) => b.score - a.score);
}
