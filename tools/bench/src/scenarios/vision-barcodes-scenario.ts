import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { barcodeCorpus, type CorpusImage } from '../barcode-corpus.js';
import type { BenchRun } from '../bench-run.js';
import { GantryStack } from '../gantry-stack.js';
import { runJob } from '../job-client.js';
import { latencyStats } from '../latency-stats.js';
import { markdownTable, num, type Section, verdict } from '../report-format.js';

const run$ = promisify(execFile);

/** What a decoder said about one image: the texts it read, and whether it ran at all. */
interface Reading {
  texts: { format: string; text: string }[];
  ms: number;
}

// zbar's names for the formats it knows (it has no Micro QR, DataMatrix, Aztec; PDF417 is off by default).
const zbarFormats: Record<string, string> = {
  'QR-Code': 'qr_code',
  'EAN-13': 'ean_13',
  'EAN-8': 'ean_8',
  'UPC-A': 'upc_a',
  'UPC-E': 'upc_e',
  'CODE-128': 'code_128',
  'CODE-39': 'code_39',
  'I2/5': 'itf',
  PDF417: 'pdf417',
};

async function zbarVersion(): Promise<string | null> {
  try {
    const { stdout } = await run$('zbarimg', ['--version']);
    return stdout.trim();
  } catch {
    return null;
  }
}

/**
 * Debian's `zbarimg`, every symbology it has enabled, raw payloads; exit status 4 means "nothing
 * found". UPC-A and UPC-E are switched on so that zbar names them as such, not as their EAN-13 form.
 */
async function zbar(file: string): Promise<Reading> {
  const started = performance.now();
  const { stdout } = await run$('zbarimg', [
    '--quiet',
    '--xml',
    '-Supca.enable=1',
    '-Supce.enable=1',
    file,
  ]).catch((error: { code?: number; stdout?: string }) => {
    if (error.code === 4) return { stdout: '' };
    throw error;
  });
  const texts = [
    ...stdout.matchAll(/<symbol type='([^']+)'[^>]*>.*?<data><!\[CDATA\[([\s\S]*?)\]\]><\/data>/g),
  ].map(([, type = '', text = '']) => ({ format: zbarFormats[type] ?? type, text }));
  return { texts, ms: performance.now() - started };
}

/** A reading is right when it holds the expected symbol; every other symbol in it is false. */
function score(image: CorpusImage, reading: Reading) {
  const right = reading.texts.filter((t) => t.format === image.format && t.text === image.expected);
  return { found: right.length > 0, falseSymbols: reading.texts.length - right.length };
}

interface Tally {
  found: number;
  total: number;
  falseSymbols: number;
}

const tally = (): Tally => ({ found: 0, total: 0, falseSymbols: 0 });

/**
 * Scenario 10: `vision.barcodes` (zxing-cpp in the vision worker, through the whole stack) against
 * Debian's `zbarimg` on the same generated symbols of every format, clean and spoilt (turned, blurred,
 * low contrast, tiny), and on photos and documents without any symbol. Target: more decoded than
 * zbar, and no false symbol at all.
 */
export async function visionBarcodesScenario(run: BenchRun): Promise<Section> {
  const title = '11. Barcodes: `vision.barcodes` (zxing-cpp) vs `zbarimg` on generated symbols';
  const module = run.appWorkerModule('vision');
  if (!module)
    return { title, lines: ['Skipped: apps/vision has no built worker module (run the build first).'] };
  const zbarName = await zbarVersion();
  const corpus = await barcodeCorpus(run.env.FIXTURES_DIR);
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-barcodes-'));
  const stack = await GantryStack.start(run, 'barcodes', [{ app: 'vision-worker', module, concurrency: 1 }]);
  const byVariant = new Map<string, { gantry: Tally; zbar: Tally }>();
  const byFormat = new Map<string, { gantry: Tally; zbar: Tally }>();
  const gantryMs: number[] = [];
  const misses: string[] = [];
  try {
    await stack.waitForTypes(['vision.barcodes']);
    for (const image of corpus) {
      const file = path.join(dir, `${image.name.replace(/[^a-z0-9]+/gi, '-')}.png`);
      await writeFile(file, image.png);
      const job = await runJob(stack, 'vision.barcodes', {
        input: {},
        file: { bytes: image.png, filename: path.basename(file) },
      });
      if (!job.ok) throw new Error(`vision.barcodes failed on ${image.name}: ${JSON.stringify(job.error)}`);
      const output = job.job?.output as { barcodes: { format: string; text: string }[] };
      const gantry = { texts: output.barcodes, ms: job.latencyMs };
      if (job.engineMs !== null) gantryMs.push(job.engineMs);
      const zbarReading = zbarName ? await zbar(file) : { texts: [], ms: 0 };
      for (const [key, map] of [
        [image.variant, byVariant],
        [image.format ?? 'no symbol', byFormat],
      ] as const) {
        const row = map.get(key) ?? { gantry: tally(), zbar: tally() };
        map.set(key, row);
        for (const [who, reading] of [
          ['gantry', gantry],
          ['zbar', zbarReading],
        ] as const) {
          const { found, falseSymbols } = score(image, reading);
          row[who].total += image.expected === null ? 0 : 1;
          row[who].found += found ? 1 : 0;
          row[who].falseSymbols += falseSymbols;
        }
      }
      if (image.expected !== null && !score(image, gantry).found) misses.push(image.name);
    }
  } finally {
    await stack.close();
    await rm(dir, { recursive: true, force: true });
  }
  const cells = ({ gantry, zbar: z }: { gantry: Tally; zbar: Tally }) => [
    gantry.total === 0 ? '–' : `${gantry.found}/${gantry.total}`,
    String(gantry.falseSymbols),
    !zbarName ? 'n/a' : z.total === 0 ? '–' : `${z.found}/${z.total}`,
    !zbarName ? 'n/a' : String(z.falseSymbols),
  ];
  const headers = ['Gantry decoded', 'Gantry false', 'zbar decoded', 'zbar false'];
  const sum = (rows: Iterable<{ gantry: Tally; zbar: Tally }>) => {
    const total = { gantry: tally(), zbar: tally() };
    for (const row of rows)
      for (const who of ['gantry', 'zbar'] as const) {
        total[who].found += row[who].found;
        total[who].total += row[who].total;
        total[who].falseSymbols += row[who].falseSymbols;
      }
    return total;
  };
  const total = sum(byVariant.values());
  const engine = latencyStats(gantryMs);
  return {
    title,
    lines: [
      ...markdownTable(
        ['variant', ...headers],
        [...[...byVariant].map(([variant, row]) => [variant, ...cells(row)]), ['**all**', ...cells(total)]],
      ),
      '',
      ...markdownTable(
        ['format', ...headers],
        [...byFormat].map(([format, row]) => [format, ...cells(row)]),
      ),
      '',
      `- Decoder: ${zbarName ? `zbarimg ${zbarName}` : 'zbarimg not on PATH (Debian: `apt-get install zbar-tools`), Gantry only'}; ` +
        `Gantry job time p50 ${num(engine.p50, 0)} ms, p99 ${num(engine.p99, 0)} ms (one engine process).`,
      `- Target, more decoded than zbar: ${zbarName ? verdict(total.gantry.found > total.zbar.found) : 'n/a'}; ` +
        `no false symbol: ${verdict(total.gantry.falseSymbols === 0)}.`,
      `- zbar reads neither Micro QR, DataMatrix nor Aztec; its PDF417 decoder is off in Debian's build.`,
      ...(misses.length > 0 ? [`- Missed by Gantry: ${misses.join(', ')}.`] : []),
    ],
  };
}
