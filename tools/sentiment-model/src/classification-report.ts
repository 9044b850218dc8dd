import { type SentimentLabel, sentimentLabels } from '@gantry/llm-worker/sentiment-model';

export interface ClassReport {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  accuracy: number;
  macroF1: number;
  classes: Record<SentimentLabel, ClassReport>;
  /** confusion[gold][predicted] */
  confusion: Record<SentimentLabel, Record<SentimentLabel, number>>;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

export function classificationReport(
  gold: readonly SentimentLabel[],
  predicted: readonly SentimentLabel[],
): ClassificationReport {
  const zeros = () =>
    Object.fromEntries(sentimentLabels.map((label) => [label, 0])) as Record<SentimentLabel, number>;
  const confusion = Object.fromEntries(sentimentLabels.map((label) => [label, zeros()])) as Record<
    SentimentLabel,
    Record<SentimentLabel, number>
  >;
  gold.forEach((label, i) => {
    const guess = predicted[i];
    if (guess !== undefined) confusion[label][guess]++;
  });
  const classes = Object.fromEntries(
    sentimentLabels.map((label) => {
      const truePositive = confusion[label][label];
      const support = sentimentLabels.reduce((sum, other) => sum + confusion[label][other], 0);
      const predictedAs = sentimentLabels.reduce((sum, other) => sum + confusion[other][label], 0);
      const precision = ratio(truePositive, predictedAs);
      const recall = ratio(truePositive, support);
      return [label, { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support }];
    }),
  ) as Record<SentimentLabel, ClassReport>;
  const correct = sentimentLabels.reduce((sum, label) => sum + confusion[label][label], 0);
  return {
    accuracy: ratio(correct, gold.length),
    macroF1: sentimentLabels.reduce((sum, label) => sum + classes[label].f1, 0) / sentimentLabels.length,
    classes,
    confusion,
  };
}
