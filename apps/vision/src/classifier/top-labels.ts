import type { ClassLabel } from '@gantry/contracts';

/** Softmax over one row of logits, computed stably (the largest logit subtracted first). */
export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] ?? -Infinity);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    out[i] = Math.exp((logits[i] ?? -Infinity) - max);
    sum += out[i] ?? 0;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) / sum;
  return out;
}

/** The `topK` most probable classes scoring at least `minScore`, most probable first. */
export function topLabels(
  scores: ArrayLike<number>,
  labels: readonly string[],
  { topK, minScore }: { topK: number; minScore: number },
): ClassLabel[] {
  const indices = Array.from({ length: scores.length }, (_, index) => index)
    .filter((index) => (scores[index] ?? 0) >= minScore)
    .sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0))
    .slice(0, topK);
  return indices.map((index) => ({
    label: labels[index] ?? String(index),
    index,
    // Rounded to 4 places like detection scores; clamped so float error never leaves [0, 1].
    score: Math.min(1, Math.max(0, Math.round((scores[index] ?? 0) * 10_000) / 10_000)),
  }));
}
