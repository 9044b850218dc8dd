import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BenchRun } from '../bench-run.js';
import { closedLoop } from '../closed-loop.js';
import { GantryStack } from '../gantry-stack.js';
import { runJob } from '../job-client.js';
import { latencyStats } from '../latency-stats.js';
import { markdownTable, num, percent, type Section } from '../report-format.js';

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

/**
 * Scenario 5: OCR pages per second, Gantry's `ocr.extract` (tesseract.js in engine processes, behind HTTP
 * and a queue) against the native `tesseract` CLI on the same pages with the same parallelism (one per CPU).
 */
export async function ocrNativeScenario(run: BenchRun): Promise<Section> {
  const title = '5. OCR throughput: Gantry vs the native tesseract CLI';
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

  const stack = await GantryStack.start(run, 'ocr', [{ app: 'ocr-worker', module, concurrency: run.cpus }]);
  let gantry: Measured;
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
    gantry = {
      pages: ok.length,
      failed: results.length - ok.length,
      wallS: wallMs / 1_000,
      meanPageS: latencyStats(ok.map((r) => r.engineMs ?? Number.NaN)).mean / 1_000,
    };
  } finally {
    await stack.close();
  }

  await tesseractCli(pages[0] ?? '');
  const timings: number[] = [];
  const native = await closedLoop({ concurrency: run.cpus, count: pages.length }, async (i) => {
    const started = performance.now();
    const ok = await tesseractCli(pages[i] ?? '').catch(() => false);
    timings.push(performance.now() - started);
    return ok;
  });
  const cli: Measured = {
    pages: native.results.filter(Boolean).length,
    failed: native.results.filter((ok) => !ok).length,
    wallS: native.wallMs / 1_000,
    meanPageS: latencyStats(timings).mean / 1_000,
  };

  const perSecond = (m: Measured) => m.pages / m.wallS;
  const row = (name: string, m: Measured, ratio: string) => [
    name,
    String(m.pages),
    String(m.failed),
    num(m.wallS),
    num(perSecond(m)),
    num(m.meanPageS),
    ratio,
  ];
  return {
    title,
    lines: [
      ...markdownTable(
        ['engine', 'pages', 'failed', 'wall s', 'pages/s', 'mean s per page', 'vs native'],
        [
          row(
            'Gantry `ocr.extract` over HTTP (tesseract.js 7, wasm)',
            gantry,
            percent(perSecond(gantry) / perSecond(cli)),
          ),
          row(`native CLI (${version}, \`--oem 1\`, a process per page)`, cli, '100 %'),
        ],
      ),
      '',
      `The same ${pages.length} pages (${pageFiles.join(', ')} × ${rounds}), ${run.cpus} at a time on each side. ` +
        "Gantry's time per page is the job's engine time (started → completed); the CLI's includes starting the process and loading the model.",
    ],
  };
}
