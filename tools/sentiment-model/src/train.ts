import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSentimentArtefact } from './build-artefact.js';
import { artefactFile, corpusFolder } from './model-paths.js';
import { readCorpus } from './read-corpus.js';

// `nx run @gantry/sentiment-model:train`: corpus/*.jsonl → dist/model/sentiment-en.json
const started = performance.now();
const corpus = await readCorpus(corpusFolder);
const artefact = buildSentimentArtefact(corpus);
const json = `${JSON.stringify(artefact)}\n`;
await mkdir(path.dirname(artefactFile), { recursive: true });
await writeFile(artefactFile, json);

const { training, evaluation } = artefact;
console.log(`${artefact.name}@${artefact.version} → ${path.relative(process.cwd(), artefactFile)}`);
console.log(
  `  sha256 ${createHash('sha256').update(json).digest('hex')}, ${(json.length / 1e6).toFixed(2)} MB`,
);
console.log(
  `  trained on ${training.examples} texts (${training.heldOut} held out), ${artefact.slots.length} weighted slots,` +
    ` ${training.iterations} L-BFGS iterations, objective ${training.objective}`,
);
console.log(`  held-out accuracy ${evaluation.heldOutAccuracy}, macro F1 ${evaluation.macroF1}`);
console.log(`  ${((performance.now() - started) / 1000).toFixed(1)} s`);
