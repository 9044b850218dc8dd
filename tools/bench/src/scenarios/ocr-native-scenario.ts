import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { parseLanguageListing } from '@gantry/ocr-worker/engine';
import type { BenchRun } from '../bench-run.js';
import { closedLoop } from '../closed-loop.js';
import { GantryStack } from '../gantry-stack.js';
import { runJob } from '../job-client.js';
import { latencyStats } from '../latency-stats.js';
import { markdownTable, median, num, percent, type Section, spread, verdict } from '../report-format.js';

const run$ = promisify(execFile);
const pageFiles = ['invoice-clean.png', 'invoice-noisy.jpg', 'hard-small.png', 'page-a4.png'];

interface Measured {
  pages: number;
  failed: number;
  wallS: number;
  meanPageS: number;
}

/**
 * The native CLI, one process per page as it is normally used; one OpenMP thread so each page holds
 * one core. `tessdata`: a directory of other language data (else the CLI's own, Debian's).
 */
async function tesseractCli(file: string, tessdata: string | null): Promise<boolean> {
  const model = tessdata === null ? [] : ['--tessdata-dir', tessdata];
  const { stdout } = await run$('tesseract', [file, 'stdout', '--oem', '1', '-l', 'eng', ...model], {
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
    maxBuffer: 16 * 1_048_576,
  });
  return stdout.trim().length > 0;
}

/**
 * tesseract.js's English model (`4.0.0_best_int`, found from the worker module as the worker finds
 * it), unpacked for the CLI. Debian's `eng.traineddata` is tessdata_fast's, a network about a
 * quarter the size: the CLI with tesseract.js's model is the same recognition work in native code.
 */
async function workerModelDir(module: string): Promise<string> {
  const data = createRequire(module).resolve('@tesseract.js-data/eng');
  const packed = await readFile(path.join(path.dirname(data), '4.0.0_best_int', 'eng.traineddata.gz'));
  const dir = await mkdtemp(path.join(tmpdir(), 'gantry-bench-tessdata-'));
  await writeFile(path.join(dir, 'eng.traineddata'), gunzipSync(packed));
  return dir;
}

/** The CLI's version line and its tessdata directory, or null where it has no English. */
async function nativeCli(): Promise<{ version: string; tessdata: string } | null> {
  try {
    const [{ stdout }, langs] = await Promise.all([
      run$('tesseract', ['--version']),
      run$('tesseract', ['--list-langs']),
    ]);
    const listing = parseLanguageListing(langs.stdout);
    if (!listing?.codes.includes('eng')) return null;
    return { version: stdout.split('\n')[0] ?? 'tesseract', tessdata: listing.dir };
  } catch {
    return null;
  }
}

/** `ocr.extract` over HTTP on a warm worker with one engine process per CPU, its OCR settings as given. */
async function gantryReader(
  run: BenchRun,
  module: string,
  pages: readonly string[],
  name: string,
  env: Record<string, string>,
) {
  const stack = await GantryStack.start(run, `ocr-${name}`, [
    { app: 'ocr-worker', module, concurrency: run.cpus, env },
  ]);
  const bytes = new Map(await Promise.all(pages.map(async (p) => [p, await readFile(p)] as const)));
  const page = (p: string) =>
    runJob(stack, 'ocr.extract', {
      input: {},
      file: { bytes: bytes.get(p) ?? Buffer.alloc(0), filename: path.basename(p) },
    });
  await closedLoop({ concurrency: run.cpus, count: run.cpus }, (i) => page(pages[i] ?? '')).catch(
    async (error: unknown) => {
      await stack.close();
      throw error;
    },
  );
  return {
    async measure(): Promise<Measured> {
      // Two requests per engine process in flight, so no process waits for the next upload.
      const { results, wallMs } = await closedLoop({ concurrency: run.cpus * 2, count: pages.length }, (i) =>
        page(pages[i] ?? ''),
      );
      const ok = results.filter((r) => r.ok && (r.job?.output as { text?: string } | null)?.text);
      return {
        pages: ok.length,
        failed: results.length - ok.length,
        wallS: wallMs / 1_000,
        meanPageS: latencyStats(ok.map((r) => r.engineMs ?? Number.NaN)).mean / 1_000,
      };
    },
    close: () => stack.close(),
  };
}

async function measureCli(
  run: BenchRun,
  pages: readonly string[],
  tessdata: string | null,
): Promise<Measured> {
  await tesseractCli(pages[0] ?? '', tessdata);
  const timings: number[] = [];
  const native = await closedLoop({ concurrency: run.cpus, count: pages.length }, async (i) => {
    const started = performance.now();
    const ok = await tesseractCli(pages[i] ?? '', tessdata).catch(() => false);
    timings.push(performance.now() - started);
    return ok;
  });
  return {
    pages: native.results.filter(Boolean).length,
    failed: native.results.filter((ok) => !ok).length,
    wallS: native.wallMs / 1_000,
    meanPageS: latencyStats(timings).mean / 1_000,
  };
}

/** Issue 13's targets, against the native CLI's pages/s in the same run. */
const targets = { 'tesseract.js': 0.6, native: 0.95 } as const;

/**
 * Scenario 5: OCR pages per second, Gantry's `ocr.extract` (behind HTTP and a queue) with each engine
 * (tesseract.js in recognizer processes, on npm's model and on the CLI's own; `OCR_ENGINE=native`,
 * Debian's CLI per page) against the native `tesseract` CLI on the same pages with the same
 * parallelism (one per CPU), the five sides taking turns over several rounds: a side measured apart
 * reads the machine's speed of its minute.
 */
export async function ocrNativeScenario(run: BenchRun): Promise<Section> {
  const title = '5. OCR throughput: Gantry (tesseract.js, native engine) vs the native tesseract CLI';
  const cli = await nativeCli();
  if (!cli) {
    return {
      title,
      lines: ['Skipped: no `tesseract` with English data on PATH (Debian: `apt-get install tesseract-ocr`).'],
    };
  }
  const module = run.appWorkerModule('ocr');
  if (!module)
    return { title, lines: ['Skipped: apps/ocr has no built worker module (run the build first).'] };
  const rounds = run.scale(3, 1);
  const pages = pageFiles.map((name) => path.join(run.env.FIXTURES_DIR, 'ocr', name));
  const round = Array.from({ length: 3 }, () => pages).flat();

  const modelDir = await workerModelDir(module);
  const readers: Awaited<ReturnType<typeof gantryReader>>[] = [];
  const sides = {
    wasm: [] as Measured[],
    wasmCliModel: [] as Measured[],
    native: [] as Measured[],
    cli: [] as Measured[],
    cliSameModel: [] as Measured[],
  };
  try {
    const wasm = await gantryReader(run, module, round, 'wasm', { OCR_ENGINE: 'tesseract.js' });
    readers.push(wasm);
    const wasmCliModel = await gantryReader(run, module, round, 'wasm-tessdata', {
      OCR_ENGINE: 'tesseract.js',
      OCR_LANGUAGE_DIR: cli.tessdata,
    });
    readers.push(wasmCliModel);
    const native = await gantryReader(run, module, round, 'native', { OCR_ENGINE: 'native' });
    readers.push(native);
    const measures: [keyof typeof sides, () => Promise<Measured>][] = [
      ['wasm', wasm.measure],
      ['wasmCliModel', wasmCliModel.measure],
      ['native', native.measure],
      ['cli', () => measureCli(run, round, null)],
      ['cliSameModel', () => measureCli(run, round, modelDir)],
    ];
    // The sides take turns, each round starting one further along: no side always follows the same one.
    for (let r = 0; r < rounds; r++) {
      const start = r % measures.length;
      for (const [side, measure] of [...measures.slice(start), ...measures.slice(0, start)]) {
        sides[side].push(await measure());
      }
    }
  } finally {
    await Promise.all(readers.map((reader) => reader.close()));
    await rm(modelDir, { recursive: true, force: true });
  }

  const perSecond = (m: Measured) => m.pages / m.wallS;
  // Each round's ratio, within the round.
  const ratios = (side: Measured[], baseline: Measured[]) =>
    side.map((m, r) => {
      const base = baseline[r];
      return base ? perSecond(m) / perSecond(base) : Number.NaN;
    });
  const sum = (side: Measured[], value: (m: Measured) => number) =>
    side.reduce((total, m) => total + value(m), 0);
  const row = (name: string, side: Measured[], share: string, sameModel: string) => [
    name,
    String(sum(side, (m) => m.pages)),
    String(sum(side, (m) => m.failed)),
    spread(
      side.map((m) => m.wallS),
      (value) => num(value),
    ),
    spread(side.map(perSecond), (value) => num(value)),
    spread(
      side.map((m) => m.meanPageS),
      (value) => num(value),
    ),
    share,
    sameModel,
  ];
  const meets = (side: Measured[], target: number) => {
    const each = ratios(side, sides.cli);
    return `${spread(each, percent)} (target ≥ ${percent(target)}: ${verdict(median(each) >= target)})`;
  };
  const { wasm, wasmCliModel, native, cliSameModel } = sides;
  return {
    title,
    lines: [
      ...markdownTable(
        [
          'engine',
          'pages',
          'failed',
          'wall s',
          'pages/s',
          'mean s per page',
          'vs native CLI',
          'vs the CLI with the same model',
        ],
        [
          row(
            'Gantry `ocr.extract` over HTTP, tesseract.js 7 (wasm, `4.0.0_best_int`)',
            wasm,
            meets(wasm, targets['tesseract.js']),
            spread(ratios(wasm, cliSameModel), percent),
          ),
          row(
            "Gantry `ocr.extract` over HTTP, tesseract.js 7 on Debian's model (`OCR_LANGUAGE_DIR`)",
            wasmCliModel,
            meets(wasmCliModel, targets['tesseract.js']),
            spread(ratios(wasmCliModel, sides.cli), percent),
          ),
          row(
            "Gantry `ocr.extract` over HTTP, `OCR_ENGINE=native` (Debian's model)",
            native,
            meets(native, targets.native),
            spread(ratios(native, sides.cli), percent),
          ),
          row(
            `native CLI (${cli.version}, \`--oem 1\`, a process per page, Debian's model)`,
            sides.cli,
            '100 %',
            '100 %',
          ),
          row(
            "native CLI, tesseract.js's model (`--tessdata-dir`, `4.0.0_best_int`)",
            cliSameModel,
            spread(ratios(cliSameModel, sides.cli), percent),
            '100 %',
          ),
        ],
      ),
      '',
      `The same ${round.length} pages (${pageFiles.join(', ')} × 3) per side and round, ${run.cpus} at a time, ${rounds} rounds in which the five sides take turns ` +
        '(each round starting one side further along; Gantry on two warm workers); median (min–max) over the rounds, every ratio taken within its round. ' +
        "Gantry's time per page is the job's engine time (started → completed), preprocessing, orientation and deskew included; the CLI's includes starting the process and loading the model. " +
        "Debian's `eng.traineddata` is tessdata_fast's (a smaller network); tesseract.js reads `4.0.0_best_int` by default, and Debian's file where `OCR_LANGUAGE_DIR` names the CLI's tessdata: the last column compares each side with the CLI reading the same model.",
    ],
  };
}
