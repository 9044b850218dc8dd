import { createHash } from 'node:crypto';
import {
  LinearSentimentModel,
  mostProbableLabel,
  type SentimentArtefact,
  sentimentLabels,
} from '@gantry/llm-worker/sentiment-model';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSentimentArtefact } from './build-artefact.js';
import { classificationReport } from './classification-report.js';
import { corpusFolder } from './model-paths.js';
import { type Corpus, readCorpus } from './read-corpus.js';
import { splitCorpus } from './split-corpus.js';

// Real training on the shipped corpus, scored on the held-out split it never saw. One training takes
// ~10 s on an idle core and a minute on a loaded 2-core machine, hence the long timeouts.
const trainingTimeout = 240_000;
let corpus: Corpus;
let artefact: SentimentArtefact;

beforeAll(async () => {
  corpus = await readCorpus(corpusFolder);
  artefact = buildSentimentArtefact(corpus);
}, trainingTimeout);

const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

describe('buildSentimentArtefact', () => {
  it('ships a corpus of at least 900 texts with roughly balanced labels', () => {
    expect(corpus.examples.length).toBeGreaterThanOrEqual(900);
    for (const label of sentimentLabels) {
      const share =
        corpus.examples.filter((example) => example.label === label).length / corpus.examples.length;
      expect(share).toBeGreaterThan(0.25);
    }
  });

  it(
    'is deterministic: the same corpus gives a byte-identical artefact',
    () => {
      expect(sha256(buildSentimentArtefact(corpus))).toBe(sha256(artefact));
    },
    trainingTimeout,
  );

  it('scores at least 0.80 accuracy and 0.75 F1 per class on the held-out split', () => {
    const { heldOut } = splitCorpus(corpus.examples);
    const model = LinearSentimentModel.fromArtefact(artefact);
    const report = classificationReport(
      heldOut.map((example) => example.label),
      heldOut.map((example) => mostProbableLabel(model.probabilities(example.text))),
    );
    console.log(`held-out accuracy ${report.accuracy.toFixed(3)}, macro F1 ${report.macroF1.toFixed(3)}`);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.8);
    for (const label of sentimentLabels) expect(report.classes[label].f1).toBeGreaterThanOrEqual(0.75);
    expect(artefact.evaluation.heldOutAccuracy).toBeCloseTo(report.accuracy, 4);
    expect(artefact.training.corpusSha256).toBe(corpus.sha256);
  });
});
