import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  LinearSentimentModel,
  mostProbableLabel,
  SentimentArtefact,
  sentimentLabels,
} from '@gantry/llm-worker/sentiment-model';
import { z } from 'zod';
import { classificationReport } from './classification-report.js';
import { artefactFile } from './model-paths.js';

// `nx run @gantry/sentiment-model:evaluate-unseen`: the built artefact on texts written after it
// was frozen, in styles the corpus lacks (unseen/*.jsonl, one file per freeze, named by its date).
// Never train on these: a text that enters the corpus makes this figure meaningless.
const UnseenExample = z.object({
  text: z.string().min(1),
  label: z.enum(sentimentLabels),
  style: z.string(),
});

const folder = fileURLToPath(new URL('../unseen/', import.meta.url));
type UnseenExample = z.infer<typeof UnseenExample>;
const artefact = SentimentArtefact.parse(JSON.parse(await readFile(artefactFile, 'utf8')));
const model = LinearSentimentModel.fromArtefact(artefact);
const fixed = (value: number) => value.toFixed(3);

// Each file is its own freeze, so each gets its own figures; a set written before the model changed
// is no longer unseen by it (the README says which file is the current test).
for (const file of (await readdir(folder)).filter((name) => name.endsWith('.jsonl')).sort()) {
  const examples: UnseenExample[] = (await readFile(path.join(folder, file), 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => UnseenExample.parse(JSON.parse(line)));
  const gold = examples.map((example) => example.label);
  const predicted = examples.map((example) => mostProbableLabel(model.probabilities(example.text)));
  const report = classificationReport(gold, predicted);
  const majority = sentimentLabels.reduce((best, label) =>
    gold.filter((g) => g === label).length > gold.filter((g) => g === best).length ? label : best,
  );
  const baseline = classificationReport(
    gold,
    gold.map(() => majority),
  );
  console.log(
    `${artefact.name}@${artefact.version} on ${file} (${examples.length} texts): accuracy ${fixed(report.accuracy)}, macro F1 ${fixed(report.macroF1)}; always "${majority}": accuracy ${fixed(baseline.accuracy)}`,
  );
  for (const style of [...new Set(examples.map((example) => example.style))].sort()) {
    const indexes = examples.flatMap((example, i) => (example.style === style ? [i] : []));
    const right = indexes.filter((i) => predicted[i] === gold[i]).length;
    console.log(`  ${style.padEnd(14)} ${right}/${indexes.length}`);
  }
  examples.forEach((example, i) => {
    if (predicted[i] !== example.label)
      console.log(`  miss: ${predicted[i]} (want ${example.label}) "${example.text}"`);
  });
}
