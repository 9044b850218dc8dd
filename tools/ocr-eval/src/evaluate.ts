import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { createOcrEngine, type OcrEngineKind, type Preprocessing } from '@gantry/ocr-worker/engine';
import { mixedPdf, textPdf } from '@gantry/ocr-worker/testing';
import { conditionOf, conditionTable, percent, type Tallies, tallyPage } from './condition-tallies.js';
import { heldOutPages } from './held-out-pages.js';
import { layoutPages } from './layout-pages.js';
import { pageConditions } from './page-conditions.js';

/**
 * CER per condition of `ocr.extract`'s engine (in process, one recognizer) with each OCR_ENGINE and
 * of the native `tesseract` CLI on the same page files, made from the shared OCR fixtures and
 * generated here (see apps/ocr/README.md). Micro CER: all edits of a condition over all its
 * characters, whitespace runs collapsed. `--set <name>` keeps one set of pages (repeatable);
 * `--language-dir <dir>` gives tesseract.js that directory's models (OCR_LANGUAGE_DIR), e.g. the CLI's.
 */
const run = promisify(execFile);
const fixtures = path.resolve(import.meta.dirname, '../../../../shared/fixtures/ocr');
const fixture = (name: string) => readFile(path.join(fixtures, name));

const sets = ['in-corpus', 'held-out', 'layouts'] as const;
type PageSet = (typeof sets)[number];

interface Page {
  /** Pages of the shared fixtures, or pages rendered here: held out (held-out-pages.ts), layouts (layout-pages.ts). */
  set: PageSet;
  condition: string;
  file: string;
  bytes: Buffer;
  truth: string;
}

async function pages(): Promise<Page[]> {
  const invoice = (await fixture('invoice.gt.txt')).toString('utf8');
  const a4 = (await fixture('page-a4.gt.txt')).toString('utf8');
  const built: Page[] = [];
  for (const [file, truth] of [
    ['invoice-clean.png', invoice],
    ['page-a4.png', a4],
  ] as const) {
    for (const { name, bytes } of await pageConditions(await fixture(file))) {
      built.push({ set: 'in-corpus', condition: name, file, bytes, truth });
    }
  }
  // As the fixtures were made: rotated 1.2° with noise and JPEG, 8 pt at 150 dpi, a shaded photo.
  for (const file of ['invoice-noisy.jpg', 'hard-small.png', 'hard-photo.jpg']) {
    built.push({ set: 'in-corpus', condition: 'as shot', file, bytes: await fixture(file), truth: invoice });
  }
  // Held out: other text, fonts and sizes, and other noise (seed 7), never looked at while choosing rules.
  for (const page of await heldOutPages()) {
    for (const { name, bytes } of await pageConditions(page.bytes, 7)) {
      built.push({ set: 'held-out', condition: name, file: page.name, bytes, truth: page.truth });
    }
  }
  // Layouts (seed 11): the same conditions, and the page as a scanned PDF and as a text-layer PDF.
  for (const page of await layoutPages()) {
    const add = (condition: string, bytes: Buffer) =>
      built.push({ set: 'layouts', condition, file: page.name, bytes, truth: page.truth });
    for (const { name, bytes } of await pageConditions(page.bytes, 11)) add(name, bytes);
    add('scanned PDF', Buffer.from(await mixedPdf([{ scan: page.bytes, dpi: 300 }])));
    add('text PDF', Buffer.from(await textPdf([page.pdfText])));
  }
  return built;
}

const isPdf = (bytes: Buffer) => bytes.subarray(0, 5).toString('latin1') === '%PDF-';

async function nativeVersion(): Promise<string | null> {
  try {
    const { stdout } = await run('tesseract', ['--version']);
    return stdout.split('\n')[0] ?? 'tesseract';
  } catch {
    return null;
  }
}

/** Micro CER per condition (and "all" per set) of one engine configuration. */
async function measure(
  selected: Page[],
  preprocessing: Partial<Preprocessing>,
  label: string,
  kind: OcrEngineKind = 'tesseract.js',
  langDir?: string,
): Promise<Tallies> {
  const engine = await createOcrEngine({ poolSize: 1, preprocessing, engine: kind, langDir });
  const tallies: Tallies = new Map();
  try {
    for (const page of selected) {
      const started = performance.now();
      const result = await engine.extract(page.bytes);
      const cer = tallyPage(tallies, page, result.text, (performance.now() - started) / 1000);
      console.error(`${label} | ${conditionOf(page)} ${page.file}: ${(100 * cer).toFixed(1)} %`);
    }
  } finally {
    await engine.close();
  }
  return tallies;
}

async function measureNative(selected: Page[]): Promise<Tallies> {
  const tallies: Tallies = new Map();
  const dir = await mkdtemp(path.join(tmpdir(), 'gantry-ocr-eval-'));
  try {
    // The CLI reads no PDF: those conditions are ocr.extract's alone.
    for (const [i, page] of selected.entries()) {
      if (isPdf(page.bytes)) continue;
      const file = path.join(dir, `page-${i}${page.bytes[0] === 0xff ? '.jpg' : '.png'}`);
      await writeFile(file, page.bytes);
      const started = performance.now();
      // One process per page, as the CLI is normally used; one OpenMP thread, like one recognizer.
      const { stdout } = await run('tesseract', [file, 'stdout', '--oem', '1', '-l', 'eng'], {
        env: { ...process.env, OMP_THREAD_LIMIT: '1' },
        maxBuffer: 16 * 1_048_576,
      });
      const cer = tallyPage(tallies, page, stdout, (performance.now() - started) / 1000);
      console.error(`native | ${conditionOf(page)} ${page.file}: ${(100 * cer).toFixed(1)} %`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return tallies;
}

// One step changed from the defaults at a time (the defaults decide each `auto` step per page).
const ablation: [string, Partial<Preprocessing>][] = [
  ['defaults', {}],
  // The pipeline before the measured steps: CLAHE by its rule, nothing else.
  ['before (contrast rule only)', { despeckle: 'off', upscale: 'off' }],
  ['contrast off', { contrast: 'off' }],
  ['despeckle on', { despeckle: 'on' }],
  ['despeckle off', { despeckle: 'off' }],
  ['upscale auto', { upscale: 'auto' }],
  ['threshold tiled-otsu', { threshold: 'tiled-otsu' }],
  ['threshold sauvola', { threshold: 'sauvola' }],
  ['threshold auto (sauvola where unevenly lit)', { threshold: 'auto' }],
  ['rules kept', { rules: 'keep' }],
];
// Skew and quarter turns are handled before these steps; the ablation reads the other conditions.
const ablated = new Set(['clean', 'noisy', 'JPEG q20', 'fax-like', 'as shot', 'unevenly lit']);

const { values: args } = parseArgs({
  options: {
    ablation: { type: 'boolean', default: false },
    set: { type: 'string', multiple: true },
    /** Ablation rows to run, by label (default all), e.g. `--step defaults --step 'threshold sauvola'`. */
    step: { type: 'string', multiple: true },
    'language-dir': { type: 'string' },
  },
});
const chosen = new Set(args.set ?? sets);
for (const name of chosen) {
  if (!sets.includes(name as PageSet)) throw new Error(`--set ${name}: one of ${sets.join(', ')}`);
}
const version = await nativeVersion();
const all = (await pages()).filter((page) => chosen.has(page.set));
const keys = [
  ...new Set(all.map(conditionOf)),
  ...sets.filter((set) => chosen.has(set)).map((set) => `${set}: all`),
];
console.log(`native: ${version ?? 'not installed (apt-get install tesseract-ocr)'}\n`);

if (args.ablation) {
  // The A4 page is left out: at 8.7 Mpx it would cost most of the run's time on a shared machine.
  const selected = all.filter((page) => ablated.has(page.condition) && page.file !== 'page-a4.png');
  const columns = keys.filter((key) => selected.some((page) => key === conditionOf(page)));
  const rows: string[] = [];
  const steps = args.step ?? ablation.map(([label]) => label);
  for (const label of steps) {
    if (!ablation.some(([known]) => known === label))
      throw new Error(`--step ${label}: no such ablation row`);
  }
  for (const [label, preprocessing] of ablation.filter(([known]) => steps.includes(known))) {
    const tallies = await measure(selected, preprocessing, label, 'tesseract.js', args['language-dir']);
    rows.push(`| ${label} | ${columns.map((key) => percent(tallies.get(key))).join(' | ')} |`);
  }
  console.log(`| micro CER | ${columns.join(' | ')} |`);
  console.log(`| --- | ${columns.map(() => '---').join(' | ')} |`);
  for (const row of rows) console.log(row);
} else {
  const none: Tallies = new Map();
  const tesseractJs = await measure(all, {}, 'tesseract.js', 'tesseract.js', args['language-dir']);
  const native = version ? await measure(all, {}, 'native engine', 'native') : none;
  const cli = version ? await measureNative(all) : none;
  for (const row of conditionTable(keys, { tesseractJs, native, cli })) console.log(row);
}
