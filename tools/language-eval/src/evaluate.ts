import { readFile } from 'node:fs/promises';
import { LabelDefinition } from '@gantry/contracts';
import {
  createLocalLanguageProvider,
  loadEnglishReader,
  loadLanguageDetector,
} from '@gantry/llm-worker/language-engine';
import { z } from 'zod';
import { rougeL } from './rouge-l.js';

/**
 * Scores the local language provider on this project's own fixtures (written by hand, see
 * README): summaries against reference summaries (ROUGE-L F1, beside the lead-3 baseline),
 * intents and topics learnt from 5 examples a label, and calls per second on short texts.
 */
const Article = z.object({ id: z.string(), text: z.string(), reference: z.string() });
const Intents = z.object({
  intents: z.array(LabelDefinition),
  tests: z.array(z.object({ text: z.string(), intent: z.string() })),
});
const Topics = z.object({
  labels: z.array(LabelDefinition),
  tests: z.array(z.object({ text: z.string(), label: z.string() })),
});

const fixture = async (name: string) => readFile(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const f3 = (value: number) => value.toFixed(3);

const read = loadEnglishReader();
const provider = createLocalLanguageProvider(read, await loadLanguageDetector());

// Summaries: 3 sentences against lead-3, the first three sentences.
const articles = (await fixture('articles.jsonl'))
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => Article.parse(JSON.parse(line)));
const rows: { id: string; textrank: number; lead3: number }[] = [];
for (const article of articles) {
  const { summary } = await provider.summarize(article.text, {
    length: { sentences: 3 },
    style: 'paragraph',
  });
  const lead3 = read(article.text)
    .sentences.slice(0, 3)
    .map((s) => s.text)
    .join(' ');
  rows.push({
    id: article.id,
    textrank: rougeL(summary, article.reference),
    lead3: rougeL(lead3, article.reference),
  });
}
const textrank = mean(rows.map((r) => r.textrank));
const lead3 = mean(rows.map((r) => r.lead3));
console.log('summaries (ROUGE-L F1, 3 sentences)');
for (const row of rows)
  console.log(`  ${row.id.padEnd(20)} textrank ${f3(row.textrank)}  lead-3 ${f3(row.lead3)}`);
console.log(
  `  mean                 textrank ${f3(textrank)}  lead-3 ${f3(lead3)}  (${((textrank / lead3 - 1) * 100).toFixed(1)} % vs lead-3)`,
);

// Intents, "none" included, and topics: 5 examples a label.
const intents = Intents.parse(JSON.parse(await fixture('intents.json')));
let intentRight = 0;
for (const test of intents.tests) {
  const { intent } = await provider.intent({ text: test.text, intents: intents.intents });
  if (intent === test.intent) intentRight++;
  else console.log(`  intent miss: "${test.text}" → ${intent} (want ${test.intent})`);
}
console.log(
  `intent accuracy: ${f3(intentRight / intents.tests.length)} (${intentRight}/${intents.tests.length}, ${intents.intents.length} intents + none)`,
);

const topics = Topics.parse(JSON.parse(await fixture('topics.json')));
let topicRight = 0;
for (const test of topics.tests) {
  const { labels } = await provider.classify({ text: test.text, labels: topics.labels, multi_label: false });
  if (labels[0]?.name === test.label) topicRight++;
  else console.log(`  topic miss: "${test.text}" → ${labels[0]?.name} (want ${test.label})`);
}
console.log(
  `classification accuracy: ${f3(topicRight / topics.tests.length)} (${topicRight}/${topics.tests.length}, ${topics.labels.length} labels)`,
);

// Speed on short texts, in this process (the engine alone, no queue); label sets are cached, as in the worker.
const timed = async (name: string, call: (text: string) => Promise<unknown>) => {
  const texts = intents.tests.map((t) => t.text);
  const started = performance.now();
  let calls = 0;
  while (performance.now() - started < 2_000) {
    for (const text of texts) await call(text);
    calls += texts.length;
  }
  console.log(`  ${name.padEnd(10)} ${(calls / ((performance.now() - started) / 1_000)).toFixed(0)} calls/s`);
};
console.log('speed on short texts (engine only, one core)');
await timed('intent', (text) => provider.intent({ text, intents: intents.intents }));
await timed('tags', (text) => provider.tags({ text, max_keywords: 10 }));
await timed('summarize', (text) =>
  provider.summarize(text, { length: { sentences: 1 }, style: 'paragraph' }),
);
await timed('draft-reply', (text) => provider.draftReply({ message: text, tone: 'friendly' }));
