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
  'language',
] as const;
export type ScenarioName = (typeof scenarioNames)[number];

export interface BenchOptions {
  quick: boolean;
  only: ScenarioName[] | null;
  /** Where the markdown report goes; by default only a full run of every scenario writes results.md. */
  out: string | null;
}

const usage = `usage: node tools/bench/dist/main.js [--quick] [--only <scenario>[,<scenario>…]] [--out <file>]
scenarios (by name or number): ${scenarioNames.map((name, i) => `${i + 1} ${name}`).join(', ')}`;

export function parseBenchOptions(argv: readonly string[], defaultOut: string): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      out: { type: 'string' },
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
  const partial = values.quick || only !== undefined;
  return { quick: values.quick, only: only ?? null, out: values.out ?? (partial ? null : defaultOut) };
}
