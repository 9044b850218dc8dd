import { parseArgs } from 'node:util';

const scenarioNames = [
  'enqueue',
  'e2e',
  'api-under-load',
  'job-types',
  'ocr-native',
  'sentiment',
  'seed-stack',
  'fair-share',
  'rate-limit',
  'workflows',
  'vision-barcodes',
  'vision-enhance',
  'ocr-document',
  'forecast-batch',
  'vision-batching',
  'batch-memory',
  'language',
  'vision-video',
  'vision-detect',
] as const;
export type ScenarioName = (typeof scenarioNames)[number];

export interface BenchOptions {
  quick: boolean;
  only: ScenarioName[] | null;
  /** Where the markdown report goes; by default only a full run of every scenario writes results.md. */
  out: string | null;
  /** Jobs per end-to-end pass of the seed-stack scenario, instead of its full or quick size. */
  jobs: number | null;
  /** Items of the batch-memory scenario's batch; its own default (100,000, or 2,000 quick) when null. */
  batchItems: number | null;
}

const usage = `usage: node tools/bench/dist/main.js [--quick] [--only <scenario>[,<scenario>…]] [--out <file>] [--jobs <n>] [--batch-items <n>]
scenarios (by name or number): ${scenarioNames.map((name, i) => `${i + 1} ${name}`).join(', ')}`;

export function parseBenchOptions(argv: readonly string[], defaultOut: string): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      out: { type: 'string' },
      jobs: { type: 'string' },
      'batch-items': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) throw new Error(usage);
  const only = values.only
    ?.flatMap((value) => value.split(','))
    .map((value) => {
      const name = /^\d+$/.test(value) ? scenarioNames[Number(value) - 1] : value;
      if (!scenarioNames.includes(name as ScenarioName))
        throw new Error(`unknown scenario "${value}"\n${usage}`);
      return name as ScenarioName;
    });
  const jobs = values.jobs === undefined ? null : Number(values.jobs);
  if (jobs !== null && !(Number.isInteger(jobs) && jobs > 0))
    throw new Error(`--jobs takes a whole number\n${usage}`);
  const batchItems = values['batch-items'] === undefined ? null : Number(values['batch-items']);
  if (batchItems !== null && !(Number.isInteger(batchItems) && batchItems >= 1)) {
    throw new Error(
      `--batch-items must be a whole number of items, not "${values['batch-items']}"\n${usage}`,
    );
  }
  const partial = values.quick || only !== undefined || jobs !== null;
  return {
    quick: values.quick,
    only: only ?? null,
    out: values.out ?? (partial ? null : defaultOut),
    jobs,
    batchItems,
  };
}
