import {
  LinearSentimentModel,
  mostProbableLabel,
  type SentimentArtefact,
  sentimentArtefactFormat,
  sentimentLabels,
} from '@gantry/llm-worker/sentiment-model';
import { classificationReport } from './classification-report.js';
import type { Corpus } from './read-corpus.js';
import { splitCorpus } from './split-corpus.js';
import { defaultTrainOptions, type TrainOptions, trainModel } from './train-model.js';

const modelName = 'gantry-sentiment-en';
/** Bumped by hand when the model's behaviour changes for a reason other than the corpus. */
const modelVersion = '1.1.0';

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

/**
 * Trains on the corpus minus its held-out split and scores the held-out split with the serving
 * code. No clock, host or path goes in: the same corpus and code give a byte-identical artefact.
 */
export function buildSentimentArtefact(
  corpus: Corpus,
  options: TrainOptions = defaultTrainOptions,
): SentimentArtefact {
  const { train, heldOut } = splitCorpus(corpus.examples);
  const trained = trainModel(train, options);
  const model = LinearSentimentModel.fromArtefact(trained);
  const report = classificationReport(
    heldOut.map((example) => example.label),
    heldOut.map((example) => mostProbableLabel(model.probabilities(example.text))),
  );
  return {
    format: sentimentArtefactFormat,
    name: modelName,
    version: `${modelVersion}+${corpus.sha256.slice(0, 12)}`,
    labels: [...sentimentLabels],
    features: trained.features,
    bias: trained.bias,
    slots: trained.slots,
    weights: trained.weights,
    training: {
      corpusSha256: corpus.sha256,
      examples: train.length,
      heldOut: heldOut.length,
      l2: options.l2,
      optimiser: 'lbfgs',
      iterations: trained.iterations,
      objective: trained.objective,
    },
    evaluation: {
      heldOutAccuracy: round4(report.accuracy),
      macroF1: round4(report.macroF1),
      classes: Object.fromEntries(
        sentimentLabels.map((label) => {
          const { precision, recall, f1, support } = report.classes[label];
          return [label, { precision: round4(precision), recall: round4(recall), f1: round4(f1), support }];
        }),
      ),
    },
  };
}
