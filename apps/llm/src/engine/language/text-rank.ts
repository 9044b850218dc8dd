import { cosine, type TermVector } from './term-vectors.js';

export interface TextRankOptions {
  /** PageRank's damping factor: the share of a node's rank that flows along the edges. */
  damping?: number;
  /**
   * Where a random jump lands, one weight per node (normalised here); uniform when left out.
   * Leaning it towards a document's opening makes it PositionRank: lead sentences of news and
   * reports carry their point, and a small lean keeps the graph's judgement in charge.
   */
  teleport?: readonly number[];
  iterations?: number;
}

/**
 * TextRank (Mihalcea & Tarau, 2004): sentences are nodes, TF-IDF cosine similarities are edge
 * weights, and a sentence ranks high when sentences that rank high resemble it. Returns one score
 * per node, the best scaled to 1.
 */
export function textRank(vectors: readonly TermVector[], options: TextRankOptions = {}): number[] {
  const { damping = 0.85, iterations = 50 } = options;
  const n = vectors.length;
  if (n === 0) return [];
  const weights = vectors.map((a, i) => vectors.map((b, j) => (i === j ? 0 : cosine(a, b))));
  const outSums = weights.map((row) => row.reduce((sum, w) => sum + w, 0));
  const rawJump = options.teleport ?? vectors.map(() => 1);
  const jumpSum = rawJump.reduce((sum, w) => sum + w, 0) || 1;
  const jump = rawJump.map((w) => w / jumpSum);
  let rank = vectors.map(() => 1 / n);
  for (let step = 0; step < iterations; step++) {
    // A sentence like no other (no edges) hands its rank out by the jump distribution.
    const dangling = rank.reduce((sum, r, i) => (outSums[i] === 0 ? sum + r : sum), 0);
    const next = jump.map((j) => (1 - damping) * j + damping * dangling * j);
    for (let i = 0; i < n; i++) {
      const share = outSums[i] ?? 0;
      if (share === 0) continue;
      const row = weights[i] ?? [];
      const ri = rank[i] ?? 0;
      for (let j = 0; j < n; j++) next[j] = (next[j] ?? 0) + (damping * ri * (row[j] ?? 0)) / share;
    }
    const change = next.reduce((sum, r, i) => sum + Math.abs(r - (rank[i] ?? 0)), 0);
    rank = next;
    if (change < 1e-9) break;
  }
  const best = Math.max(...rank);
  return rank.map((r) => (best > 0 ? r / best : 0));
}
