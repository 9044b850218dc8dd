import {
  LinearSentimentModel,
  mostProbableLabel,
  type SentimentLabel,
} from '@gantry/llm-worker/sentiment-model';
import { type ClassificationReport, classificationReport } from './classification-report.js';
import type { CorpusExample } from './read-corpus.js';
import { type TrainOptions, trainModel } from './train-model.js';

export interface Split {
  name: string;
  train: readonly CorpusExample[];
  test: readonly CorpusExample[];
}

/** Trains on each split's train part and pools the predictions on its test part into one report. */
export function crossValidate(splits: readonly Split[], options: TrainOptions) {
  const gold: SentimentLabel[] = [];
  const predicted: SentimentLabel[] = [];
  const perSplit: { name: string; report: ClassificationReport }[] = [];
  for (const { name, train, test } of splits) {
    const model = LinearSentimentModel.fromArtefact(trainModel(train, options));
    const guesses = test.map((example) => mostProbableLabel(model.probabilities(example.text)));
    gold.push(...test.map((example) => example.label));
    predicted.push(...guesses);
    perSplit.push({
      name,
      report: classificationReport(
        test.map((example) => example.label),
        guesses,
      ),
    });
  }
  return { pooled: classificationReport(gold, predicted), perSplit };
}
