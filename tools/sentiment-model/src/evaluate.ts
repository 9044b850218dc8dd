import { readFile } from 'node:fs/promises';
import {
  LinearSentimentModel,
  mostProbableLabel,
  SentimentArtefact,
  type SentimentLabel,
  sentimentLabels,
} from '@gantry/llm-worker/sentiment-model';
import Sentiment from 'sentiment';
import { type ClassificationReport, classificationReport } from './classification-report.js';
import { crossValidate } from './cross-validate.js';
import { artefactFile, corpusFolder } from './model-paths.js';
import { readCorpus } from './read-corpus.js';
import { splitCorpus, stratifiedFolds } from './split-corpus.js';
import { defaultTrainOptions } from './train-model.js';

// `nx run @gantry/sentiment-model:evaluate`: the built artefact on the held-out split, against
// baselines, plus cross-validation of the training recipe on the training split.
const fixed = (value: number) => value.toFixed(3);

function print(title: string, report: ClassificationReport) {
  console.log(`\n${title}: accuracy ${fixed(report.accuracy)}, macro F1 ${fixed(report.macroF1)}`);
  console.log('  class      precision  recall  f1     support   predicted as (neg/neu/pos)');
  for (const label of sentimentLabels) {
    const { precision, recall, f1, support } = report.classes[label];
    const row = sentimentLabels.map((other) => report.confusion[label][other]).join('/');
    console.log(
      `  ${label.padEnd(9)}  ${fixed(precision).padEnd(9)}  ${fixed(recall).padEnd(6)}  ${fixed(f1)}  ${String(support).padEnd(8)}  ${row}`,
    );
  }
}

const corpus = await readCorpus(corpusFolder);
const artefact = SentimentArtefact.parse(JSON.parse(await readFile(artefactFile, 'utf8')));
if (artefact.training.corpusSha256 !== corpus.sha256) {
  throw new Error(`${artefactFile} was trained on another corpus: run the train target first`);
}
const { train, heldOut } = splitCorpus(corpus.examples);
const gold = heldOut.map((example) => example.label);
const model = LinearSentimentModel.fromArtefact(artefact);

console.log(
  `${artefact.name}@${artefact.version}: ${corpus.examples.length} texts, ${heldOut.length} held out`,
);
print(
  'Held-out split, embedded model',
  classificationReport(
    gold,
    heldOut.map((e) => mostProbableLabel(model.probabilities(e.text))),
  ),
);

const afinn = new Sentiment();
const lexiconLabel = (text: string): SentimentLabel => {
  const { comparative } = afinn.analyze(text);
  return comparative > 0.05 ? 'positive' : comparative < -0.05 ? 'negative' : 'neutral';
};
print(
  'Held-out split, AFINN lexicon baseline (sentiment 5)',
  classificationReport(
    gold,
    heldOut.map((e) => lexiconLabel(e.text)),
  ),
);
print(
  'Held-out split, always "neutral"',
  classificationReport(
    gold,
    heldOut.map(() => 'neutral' as const),
  ),
);

const folds = stratifiedFolds(train, 5).map((fold, i) => ({ name: `fold ${i + 1}`, ...fold }));
const cv = crossValidate(folds, defaultTrainOptions);
print('5-fold cross-validation on the training split (pooled)', cv.pooled);
console.log(`  per fold accuracy: ${cv.perSplit.map(({ report }) => fixed(report.accuracy)).join(', ')}`);

// Leave-one-domain-out: how the recipe copes with a kind of text it has never seen.
const domains = [...new Set(train.map((example) => example.domain))].sort();
const byDomain = crossValidate(
  domains.map((domain) => ({
    name: domain,
    train: train.filter((example) => example.domain !== domain),
    test: train.filter((example) => example.domain === domain),
  })),
  defaultTrainOptions,
);
print('Leave-one-domain-out on the training split (pooled)', byDomain.pooled);
for (const { name, report } of byDomain.perSplit)
  console.log(`  ${name.padEnd(20)} ${fixed(report.accuracy)}`);
