/**
 * `npm run bench`: measures Gantry against bare Express + BullMQ, FastAPI + Celery and its job types on this machine,
 * prints markdown tables and writes them to tools/bench/results.md (full runs) for the README to quote.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchOptions, type ScenarioName } from './bench-options.js';
import { BenchRun } from './bench-run.js';
import { loadAverage, machineSummary } from './machine-summary.js';
import type { Section } from './report-format.js';
import { apiUnderLoadScenario } from './scenarios/api-under-load-scenario.js';
import { batchMemoryScenario } from './scenarios/batch-memory-scenario.js';
import { e2eScenario } from './scenarios/e2e-scenario.js';
import { enqueueScenario } from './scenarios/enqueue-scenario.js';
import { fairShareScenario } from './scenarios/fair-share-scenario.js';
import { forecastBatchScenario } from './scenarios/forecast-batch-scenario.js';
import { jobTypesScenario } from './scenarios/job-types-scenario.js';
import { languageScenario } from './scenarios/language-scenario.js';
import { ocrDocumentScenario } from './scenarios/ocr-document-scenario.js';
import { ocrNativeScenario } from './scenarios/ocr-native-scenario.js';
import { rateLimitScenario } from './scenarios/rate-limit-scenario.js';
import { seedStackScenario } from './scenarios/seed-stack-scenario.js';
import { sentimentScenario } from './scenarios/sentiment-scenario.js';
import { workflowsScenario } from './scenarios/workflows-scenario.js';
import { visionBarcodesScenario } from './scenarios/vision-barcodes-scenario.js';
import { visionEnhanceScenario } from './scenarios/vision-enhance-scenario.js';
import { visionBatchingScenario } from './scenarios/vision-batching-scenario.js';
import { visionDetectScenario } from './scenarios/vision-detect-scenario.js';
import { visionVideoScenario } from './scenarios/vision-video-scenario.js';

const scenarios: Record<ScenarioName, (run: BenchRun) => Promise<Section>> = {
  enqueue: (run) => enqueueScenario(run),
  e2e: e2eScenario,
  'api-under-load': apiUnderLoadScenario,
  'job-types': jobTypesScenario,
  'ocr-native': ocrNativeScenario,
  'ocr-document': ocrDocumentScenario,
  sentiment: sentimentScenario,
  'fair-share': fairShareScenario,
  'seed-stack': (run) =>
    seedStackScenario(
      run,
      options.jobs === null ? {} : { jobs: options.jobs, warmupJobs: Math.ceil(options.jobs / 5) },
    ),
  'rate-limit': (run) => rateLimitScenario(run),
  workflows: workflowsScenario,
  'vision-barcodes': visionBarcodesScenario,
  'vision-enhance': visionEnhanceScenario,
  'forecast-batch': forecastBatchScenario,
  'vision-batching': visionBatchingScenario,
  'batch-memory': (run) => batchMemoryScenario(run, options.batchItems),
  language: languageScenario,
  'vision-video': visionVideoScenario,
  'vision-detect': visionDetectScenario,
};

const options = (() => {
  try {
    return parseBenchOptions(
      process.argv.slice(2),
      path.resolve(fileURLToPath(import.meta.url), '../../results.md'),
    );
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
})();
const run = new BenchRun(options.quick);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n[bench] ${signal}: cleaning up`);
    void run.cleanup().finally(() => process.exit(130));
  });
}

const started = Date.now();
const header = ['# Gantry benchmarks', '', ...(await machineSummary(run)), ''];
console.log(header.join('\n'));
const sections: Section[] = [];
try {
  for (const name of options.only ?? (Object.keys(scenarios) as ScenarioName[])) {
    console.error(`[bench] ${name}…`);
    const loadBefore = loadAverage();
    const section = await scenarios[name](run).catch(
      (error: unknown): Section => ({
        title: name,
        lines: [`Did not complete: ${error instanceof Error ? error.message : String(error)}`],
      }),
    );
    // Other work on the machine skews a scenario: the load average around it says whether it did.
    section.lines.push('', `_Load average ${loadBefore} before, ${loadAverage()} after._`);
    sections.push(section);
    console.log([`## ${section.title}`, '', ...section.lines, ''].join('\n'));
  }
} finally {
  await run.cleanup();
}
const footer = `_Whole run: ${((Date.now() - started) / 1_000).toFixed(0)} s; load average ${loadAverage()} at the end._`;
console.log(footer);
if (options.out) {
  const report = [...header, ...sections.flatMap((s) => [`## ${s.title}`, '', ...s.lines, '']), footer, ''];
  await writeFile(options.out, report.join('\n'));
  console.error(`[bench] wrote ${options.out}`);
}
