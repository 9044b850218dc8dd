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
const examples: UnseenExample[] = [];
for (const file of (await readdir(folder)).filter((name) => name.endsWith('.jsonl')).sort()) {
  for (const line of (await readFile(path.join(folder, file), 'utf8')).split('\n')) {
    if (line.trim() !== '') examples.push(UnseenExample.parse(JSON.parse(line)));
  }
}
const artefact = SentimentArtefact.parse(JSON.parse(await readFile(artefactFile, 'utf8')));
const model = LinearSentimentModel.fromArtefact(artefact);
const predicted = examples.map((example) => mostProbableLabel(model.probabilities(example.text)));
const report = classificationReport(
  examples.map((example) => example.label),
  predicted,
);
console.log(
  `${artefact.name}@${artefact.version} on ${examples.length} unseen texts: accuracy ${report.accuracy.toFixed(3)}, macro F1 ${report.macroF1.toFixed(3)}`,
);
const styles = [...new Set(examples.map((example) => example.style))].sort();
for (const style of styles) {
  const indexes = examples.flatMap((example, i) => (example.style === style ? [i] : []));
  const right = indexes.filter((i) => predicted[i] === examples[i]?.label).length;
  console.log(`  ${style.padEnd(14)} ${right}/${indexes.length}`);
}
examples.forEach((example, i) => {
  if (predicted[i] !== example.label)
    console.log(`  miss: ${predicted[i]} (want ${example.label}) "${example.text}"`);
});
