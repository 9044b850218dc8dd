import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BenchRun } from '../bench-run.js';
import { closedLoop } from '../closed-loop.js';
import { GantryStack } from '../gantry-stack.js';
import { runJob } from '../job-client.js';
import { latencyStats } from '../latency-stats.js';
import { markdownTable, num, percent, type Section, verdict } from '../report-format.js';

const run$ = promisify(execFile);
const pageFiles = ['invoice-clean.png', 'invoice-noisy.jpg', 'hard-small.png', 'page-a4.png'];

interface Measured {
  pages: number;
  failed: number;
  wallS: number;
  meanPageS: number;
}

/** The native CLI, one process per page as it is normally used; one OpenMP thread so each page holds one core. */
async function tesseractCli(file: string): Promise<boolean> {
  const { stdout } = await run$('tesseract', [file, 'stdout', '--oem', '1', '-l', 'eng'], {
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
    maxBuffer: 16 * 1_048_576,
  });
  return stdout.trim().length > 0;
}

async function nativeVersion(): Promise<string | null> {
  try {
    const [{ stdout }, langs] = await Promise.all([
      run$('tesseract', ['--version']),
      run$('tesseract', ['--list-langs']),
    ]);
    return langs.stdout.split('\n').includes('eng') ? (stdout.split('\n')[0] ?? 'tesseract') : null;
  } catch {
    return null;
  }
}

/** `ocr.extract` over HTTP on a worker with one engine process per CPU, `OCR_ENGINE` set as given. */
async function measureGantry(
  run: BenchRun,
  module: string,
  pages: readonly string[],
  engine: 'tesseract.js' | 'native',
): Promise<Measured> {
  const stack = await GantryStack.start(run, 'ocr', [
    { app: 'ocr-worker', module, concurrency: run.cpus, env: { OCR_ENGINE: engine } },
  ]);
  try {
    const bytes = new Map(await Promise.all(pages.map(async (p) => [p, await readFile(p)] as const)));
    const page = (p: string) =>
      runJob(stack, 'ocr.extract', {
        input: {},
        file: { bytes: bytes.get(p) ?? Buffer.alloc(0), filename: path.basename(p) },
      });
    await closedLoop({ concurrency: run.cpus, count: run.cpus }, (i) => page(pages[i] ?? ''));
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
  } finally {
    await stack.close();
  }
}

async function measureCli(run: BenchRun, pages: readonly string[]): Promise<Measured> {
  await tesseractCli(pages[0] ?? '');
  const timings: number[] = [];
  const native = await closedLoop({ concurrency: run.cpus, count: pages.length }, async (i) => {
    const started = performance.now();
    const ok = await tesseractCli(pages[i] ?? '').catch(() => false);
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
 * (tesseract.js in recognizer processes; `OCR_ENGINE=native`, Debian's CLI per page) against the
 * native `tesseract` CLI on the same pages with the same parallelism (one per CPU), one after another.
 */
export async function ocrNativeScenario(run: BenchRun): Promise<Section> {
  const title = '5. OCR throughput: Gantry (tesseract.js, native engine) vs the native tesseract CLI';
  const version = await nativeVersion();
  if (!version) {
    return {
      title,
      lines: ['Skipped: no `tesseract` with English data on PATH (Debian: `apt-get install tesseract-ocr`).'],
    };
  }
  const module = run.appWorkerModule('ocr');
  if (!module)
    return { title, lines: ['Skipped: apps/ocr has no built worker module (run the build first).'] };
  const rounds = run.scale(3, 1);
  const pages = Array.from({ length: rounds }, () => pageFiles)
    .flat()
    .map((name) => path.join(run.env.FIXTURES_DIR, 'ocr', name));

  const wasm = await measureGantry(run, module, pages, 'tesseract.js');
  const native = await measureGantry(run, module, pages, 'native');
  const cli = await measureCli(run, pages);

  const perSecond = (m: Measured) => m.pages / m.wallS;
  const ratio = (m: Measured) => perSecond(m) / perSecond(cli);
  const row = (name: string, m: Measured, share: string) => [
    name,
    String(m.pages),
    String(m.failed),
    num(m.wallS),
    num(perSecond(m)),
    num(m.meanPageS),
    share,
  ];
  const meets = (m: Measured, target: number) =>
    `${percent(ratio(m))} (target ≥ ${percent(target)}: ${verdict(ratio(m) >= target)})`;
  return {
    title,
    lines: [
      ...markdownTable(
        ['engine', 'pages', 'failed', 'wall s', 'pages/s', 'mean s per page', 'vs native CLI'],
        [
          row(
            'Gantry `ocr.extract` over HTTP, tesseract.js 7 (wasm)',
            wasm,
            meets(wasm, targets['tesseract.js']),
          ),
          row('Gantry `ocr.extract` over HTTP, `OCR_ENGINE=native`', native, meets(native, targets.native)),
          row(`native CLI (${version}, \`--oem 1\`, a process per page)`, cli, '100 %'),
        ],
      ),
      '',
      `The same ${pages.length} pages (${pageFiles.join(', ')} × ${rounds}), ${run.cpus} at a time on each side, one side after another. ` +
        "Gantry's time per page is the job's engine time (started → completed), preprocessing, orientation and deskew included; the CLI's includes starting the process and loading the model.",
    ],
  };
}
