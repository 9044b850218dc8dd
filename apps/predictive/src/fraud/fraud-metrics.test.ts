import { describe, expect, it } from 'vitest';
import { rankingMetrics } from './fraud-metrics.js';

describe('rankingMetrics', () => {
  it('gives 1 for a perfect ranking and 0.5 for ties everywhere', () => {
    expect(rankingMetrics([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0], 0.8)).toMatchObject({
      roc_auc: 1,
      average_precision: 1,
      precision_at_recall: { recall: 1, precision: 1, threshold: 0.8 },
    });
    expect(rankingMetrics([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0], 0.8).roc_auc).toBe(0.5);
  });

  it('matches hand-computed values for a mixed ranking', () => {
    // Ranked: 1 0 1 0 → AUC 3/4; AP = (1/1 + 2/3) / 2; recall 0.8 needs both positives: precision 2/3.
    const metrics = rankingMetrics([0.9, 0.7, 0.6, 0.1], [1, 0, 1, 0], 0.8);
    expect(metrics.roc_auc).toBeCloseTo(0.75);
    expect(metrics.average_precision).toBeCloseTo((1 + 2 / 3) / 2);
    expect(metrics.precision_at_recall).toEqual({ recall: 1, precision: 2 / 3, threshold: 0.6 });
  });
});
