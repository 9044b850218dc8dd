import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { BenchRun } from '../bench-run.js';
import { GantryStack } from '../gantry-stack.js';
import { type JobRun, runJob } from '../job-client.js';
import { markdownTable, num, percent, verdict } from '../report-format.js';
import type { Section } from '../report-format.js';

const pageFile = 'invoice-clean.png';
/** The target: a scanned document on two recognizers at least 1.8× the same document on one. */
const target = 1.8;

const pagesRead = (result: JobRun): number =>
  result.ok ? ((result.job?.output as { pages?: unknown[] } | null)?.pages?.length ?? 0) : 0;

/**
 * A scanned PDF: every page an image of the PNG at 300 dpi, no text layer. Each page embeds its own
 * copy, as a scanner's pages are each their own image (pdf.js decodes an image shared by pages once).
 */
async function scannedPdf(png: Buffer, pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) {
    const image = await doc.embedPng(png);
    const [width, height] = [(image.width * 72) / 300, (image.height * 72) / 300];
    doc.addPage([width, height]).drawImage(image, { x: 0, y: 0, width, height });
  }
  return Buffer.from(await doc.save());
}

interface Side {
  pages: number;
  wallS: number;
  engineS: number;
}

/**
 * The document as one `ocr.extract` job on a worker with one engine process (concurrency 1) whose
 * pages go to `recognizers` recognizer processes (OCR_PAGE_THREADS), after a warm-up job that
 * starts them all.
 */
async function readDocument(
  run: BenchRun,
  module: string,
  recognizers: number,
  document: Buffer,
  warmUp: Buffer,
): Promise<Side> {
  const stack = await GantryStack.start(run, 'ocr', [
    { app: 'ocr-worker', module, concurrency: 1, env: { OCR_PAGE_THREADS: String(recognizers) } },
  ]);
  try {
    const job = (bytes: Buffer, filename: string) =>
      runJob(stack, 'ocr.extract', { input: {}, file: { bytes, filename } });
    await job(warmUp, 'warm-up.pdf');
    const started = performance.now();
    const result = await job(document, 'document.pdf');
    return {
      pages: pagesRead(result),
      wallS: (performance.now() - started) / 1_000,
      engineS: (result.engineMs ?? Number.NaN) / 1_000,
    };
  } finally {
    await stack.close();
  }
}

/**
 * Scenario 13: one scanned PDF as one job on one engine process, its pages read by one recognizer
 * process (OCR_PAGE_THREADS=1), then fanned out across two (OCR_PAGE_THREADS=2, the default).
 */
export async function ocrDocumentScenario(run: BenchRun): Promise<Section> {
  const title = '13. OCR document: a scanned PDF on two recognizer processes vs one';
  const module = run.appWorkerModule('ocr');
  if (!module)
    return { title, lines: ['Skipped: apps/ocr has no built worker module (run the build first).'] };
  const count = run.scale(20, 6);
  const page = await readFile(path.join(run.env.FIXTURES_DIR, 'ocr', pageFile));
  const [document, warmUp] = await Promise.all([scannedPdf(page, count), scannedPdf(page, 2)]);

  const one = await readDocument(run, module, 1, document, warmUp);
  const two = await readDocument(run, module, 2, document, warmUp);

  const perSecond = (side: Side) => (side.wallS > 0 ? side.pages / side.wallS : 0);
  const ratio = perSecond(one) > 0 ? perSecond(two) / perSecond(one) : Number.NaN;
  const row = (name: string, side: Side, share: string) => [
    name,
    String(side.pages),
    num(side.wallS),
    num(side.engineS),
    num(perSecond(side)),
    share,
  ];
  return {
    title,
    lines: [
      ...markdownTable(
        ['recognizers', 'pages read', 'wall s', 'engine s', 'pages/s', 'vs one'],
        [
          row(`1 (\`OCR_PAGE_THREADS=1\`)`, one, '100 %'),
          row(`2 (\`OCR_PAGE_THREADS=2\`)`, two, percent(ratio)),
        ],
      ),
      '',
      `Target (issue 13): a scanned document on 2 recognizers ≥ ${target}× one: ${verdict(ratio >= target)} ` +
        `(${run.cpus} CPUs; the gain needs two idle cores). One ${count}-page PDF, every page ${pageFile} ` +
        '(1839×733) as a 300 dpi scan, one job per side on a fresh worker after a 2-page warm-up job.',
    ],
  };
}
