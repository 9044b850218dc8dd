import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { BenchRun } from '../bench-run.js';
import { closedLoop } from '../closed-loop.js';
import { GantryStack } from '../gantry-stack.js';
import { type JobRun, runJob } from '../job-client.js';
import { markdownTable, num, percent, verdict } from '../report-format.js';
import type { Section } from '../report-format.js';

const pageFile = 'invoice-clean.png';
/** The target: a scanned document on two recognizers at least 1.8× one at a time. */
const target = 1.8;

const pagesRead = (result: JobRun): number =>
  result.ok ? ((result.job?.output as { pages?: unknown[] } | null)?.pages?.length ?? 0) : 0;

/**
 * Scenario 13: one OCR engine process (worker concurrency 1, OCR_PAGE_THREADS at its default of 2).
 * The same scanned pages as single-page jobs one after another (one recognizer reads at a time),
 * then as one multi-page TIFF job, whose pages fan out across the engine's recognizer processes.
 */
export async function ocrDocumentScenario(run: BenchRun): Promise<Section> {
  const title = '13. OCR document: pages of one job across recognizer processes';
  const module = run.appWorkerModule('ocr');
  if (!module)
    return { title, lines: ['Skipped: apps/ocr has no built worker module (run the build first).'] };
  const count = run.scale(12, 4);
  const page = await readFile(path.join(run.env.FIXTURES_DIR, 'ocr', pageFile));
  const tiff = (pages: number) =>
    sharp(
      Array.from({ length: pages }, () => page),
      { join: { animated: true } },
    )
      .tiff()
      .toBuffer();
  const document = await tiff(count);

  const stack = await GantryStack.start(run, 'ocr', [{ app: 'ocr-worker', module, concurrency: 1 }]);
  const job = (bytes: Buffer, filename: string) =>
    runJob(stack, 'ocr.extract', { input: {}, file: { bytes, filename } });
  let single: { pages: number; wallS: number };
  let whole: { pages: number; wallS: number };
  try {
    // Warm: a page, then two at once, which starts the second recognizer process.
    await job(page, pageFile);
    await job(await tiff(2), 'two.tiff');
    const singles = await closedLoop({ concurrency: 1, count }, () => job(page, pageFile));
    single = {
      pages: singles.results.reduce((sum, result) => sum + pagesRead(result), 0),
      wallS: singles.wallMs / 1_000,
    };
    const started = performance.now();
    const result = await job(document, 'document.tiff');
    whole = { pages: pagesRead(result), wallS: (performance.now() - started) / 1_000 };
  } finally {
    await stack.close();
  }

  const perSecond = (m: { pages: number; wallS: number }) => (m.wallS > 0 ? m.pages / m.wallS : 0);
  const ratio = perSecond(single) > 0 ? perSecond(whole) / perSecond(single) : Number.NaN;
  return {
    title,
    lines: [
      ...markdownTable(
        ['jobs', 'pages read', 'wall s', 'pages/s', 'vs one page at a time'],
        [
          [
            `${count} single-page jobs, one after another`,
            String(single.pages),
            num(single.wallS),
            num(perSecond(single)),
            '100 %',
          ],
          [
            `one ${count}-page TIFF job`,
            String(whole.pages),
            num(whole.wallS),
            num(perSecond(whole)),
            percent(ratio),
          ],
        ],
      ),
      '',
      `Target (issue 13): a document on 2 recognizers ≥ ${target}× one page at a time: ${verdict(ratio >= target)} ` +
        `(${run.cpus} CPUs; the gain needs two idle cores). Page: ${pageFile} (1839×733), ${count} times.`,
    ],
  };
}
