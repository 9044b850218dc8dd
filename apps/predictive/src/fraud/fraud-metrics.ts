/** Validation metrics of a scorer: ROC AUC, average precision, and precision at a fixed recall. */
export interface RankingMetrics {
  roc_auc: number;
  average_precision: number;
  precision_at_recall: { recall: number; precision: number; threshold: number };
}

export function rankingMetrics(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  recall: number,
): RankingMetrics {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => (scores[b] ?? 0) - (scores[a] ?? 0),
  );
  const positives = Array.from(labels).filter((label) => label === 1).length;
  const negatives = labels.length - positives;

  // AUC by ranks, ties sharing their mean rank (Mann–Whitney U).
  let rankSumPositives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1] ?? 0] === scores[order[i] ?? 0]) j += 1;
    const meanRank = order.length - (i + j) / 2; // ascending rank of this tie group, 1-based
    for (let k = i; k <= j; k += 1) if (labels[order[k] ?? 0] === 1) rankSumPositives += meanRank;
    i = j + 1;
  }
  const rocAuc = (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);

  let truePositives = 0;
  let precisionSum = 0;
  let atRecall: RankingMetrics['precision_at_recall'] | null = null;
  order.forEach((row, k) => {
    if (labels[row] !== 1) return;
    truePositives += 1;
    const precision = truePositives / (k + 1);
    precisionSum += precision;
    if (!atRecall && truePositives >= recall * positives) {
      atRecall = { recall: truePositives / positives, precision, threshold: scores[row] ?? 0 };
    }
  });
  return {
    roc_auc: rocAuc,
    average_precision: precisionSum / positives,
    precision_at_recall: atRecall ?? { recall: 0, precision: 0, threshold: 1 },
  };
}
