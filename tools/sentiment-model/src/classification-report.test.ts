import { describe, expect, it } from 'vitest';
import { classificationReport } from './classification-report.js';

describe('classificationReport', () => {
  it('computes accuracy, per-class precision/recall/F1 and the confusion matrix', () => {
    const report = classificationReport(
      ['positive', 'positive', 'negative', 'neutral', 'neutral'],
      ['positive', 'neutral', 'negative', 'neutral', 'positive'],
    );
    expect(report.accuracy).toBeCloseTo(0.6);
    expect(report.classes.positive).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(report.classes.negative).toEqual({ precision: 1, recall: 1, f1: 1, support: 1 });
    expect(report.confusion.neutral).toEqual({ negative: 0, neutral: 1, positive: 1 });
    expect(report.macroF1).toBeCloseTo((0.5 + 1 + 0.5) / 3);
  });
});
