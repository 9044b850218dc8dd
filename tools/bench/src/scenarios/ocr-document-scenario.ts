import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { BenchRun } from '../bench-run.js';
import { CpuMeter, descendants } from '../cpu-meter.js';
import { GantryStack } from '../gantry-stack.js';
import { type JobRun, runJob } from '../job-client.js';
import { markdownTable, median, num, percent, spread, verdict } from '../report-format.js';
import type { Section } from '../report-format.js';
import { textLayerPdf } from '../text-layer-pdf.js';

const pageFile = 'invoice-clean.png';
/** The target: a scanned document on two recognizers at least 1.8× the same document on one. */
const target = 1.8;
/** The target for pages read from their text layer, no OCR. */
const textLayerTarget = 50;

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
  /** The worker's processes' CPU (its engine process and recognizers included) over the read, ÷ wall time. */
  coresBusy: number;
}

/** A worker with one engine process (concurrency 1) whose pages go to `recognizers` recognizer processes. */
async function documentReader(
  run: BenchRun,
  module: string,
  recognizers: number,
  warmUps: readonly Buffer[],
) {
  const stack = await GantryStack.start(run, `ocr-${recognizers}`, [
    { app: 'ocr-worker', module, concurrency: 1, env: { OCR_PAGE_THREADS: String(recognizers) } },
  ]);
  const job = (bytes: Buffer, filename: string) =>
    runJob(stack, 'ocr.extract', { input: {}, file: { bytes, filename } });
  // A 2-page scan first starts every recognizer process; a 2-page text PDF loads pdf.js's fonts.
  for (const warmUp of warmUps) await job(warmUp, 'warm-up.pdf');
  const workerTree = async () =>
    (await Promise.all([...stack.workers].map(async ({ pid }) => [pid, ...(await descendants(pid))]))).flat();
  return {
    async read(document: Buffer): Promise<Side> {
      const meter = await CpuMeter.start({ worker: workerTree });
      const started = performance.now();
      const result = await job(document, 'document.pdf');
      const wallS = (performance.now() - started) / 1_000;
      const { worker: cpuMs } = await meter.stop();
      return {
        pages: pagesRead(result),
        wallS,
        engineS: (result.engineMs ?? Number.NaN) / 1_000,
        coresBusy: (cpuMs ?? Number.NaN) / 1_000 / wallS,
      };
    },
    close: () => stack.close(),
  };
}

/**
 * Scenario 13: one scanned PDF as one job on one engine process, its pages read by one recognizer
 * process (OCR_PAGE_THREADS=1) and fanned out across two (OCR_PAGE_THREADS=2, the default), each on
 * a warm worker of its own. The two take turns over several rounds, the order swapped each round,
 * and the ratio is taken within each round: one read of the document lasts seconds, and this shared
 * machine's speed drifts by more than the difference between two reads one after the other. Then a
 * text-layer PDF, read from its text layer (no OCR) on the two-recognizer worker, for its own target.
 */
export async function ocrDocumentScenario(run: BenchRun): Promise<Section> {
  const title = '13. OCR document: a scanned PDF on two recognizer processes vs one, and a text-layer PDF';
  const module = run.appWorkerModule('ocr');
  if (!module)
    return { title, lines: ['Skipped: apps/ocr has no built worker module (run the build first).'] };
  const count = run.scale(20, 6);
  const rounds = run.scale(5, 1);
  const page = await readFile(path.join(run.env.FIXTURES_DIR, 'ocr', pageFile));
  const textPages = run.scale(50, 20); // OCR_MAX_PAGES, the default limit of one job
  const [document, textDocument, ...warmUps] = await Promise.all([
    scannedPdf(page, count),
    textLayerPdf(textPages),
    scannedPdf(page, 2),
    textLayerPdf(2),
  ]);

  const readers = [
    await documentReader(run, module, 1, warmUps),
    await documentReader(run, module, 2, warmUps),
  ] as const;
  const ones: Side[] = [];
  const twos: Side[] = [];
  const texts: Side[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const [first, second] = round % 2 === 0 ? readers : ([readers[1], readers[0]] as const);
      const [a, b] = [await first.read(document), await second.read(document)];
      ones.push(round % 2 === 0 ? a : b);
      twos.push(round % 2 === 0 ? b : a);
    }
    // The worker's default (two recognizers), though a text layer needs none: pdf.js on the engine's main thread.
    for (let round = 0; round < rounds; round++) texts.push(await readers[1].read(textDocument));
  } finally {
    await Promise.all(readers.map((reader) => reader.close()));
  }

  const perSecond = (side: Side) => (side.wallS > 0 ? side.pages / side.wallS : 0);
  const ratios = ones.map((one, i) => {
    const two = twos[i];
    return two && perSecond(one) > 0 ? perSecond(two) / perSecond(one) : Number.NaN;
  });
  const ratio = median(ratios);
  // Two recognizers can at most fill every CPU, so they gain at most the CPUs over what one already keeps busy.
  const ceiling = run.cpus / median(ones.map((side) => side.coresBusy));
  const textRate = median(texts.map(perSecond));
  const numbers = (sides: Side[], value: (side: Side) => number) => spread(sides.map(value), (x) => num(x));
  /** Pages read, wall s, engine s and pages/s by wall time: the columns both tables share. */
  const cells = (sides: Side[]) => [
    String(median(sides.map((side) => side.pages))),
    numbers(sides, (side) => side.wallS),
    numbers(sides, (side) => side.engineS),
    numbers(sides, perSecond),
  ];
  return {
    title,
    lines: [
      ...markdownTable(
        [
          'recognizers',
          'pages read',
          'wall s',
          'engine s',
          'pages/s',
          'worker cores busy',
          'vs one (per round)',
        ],
        [
          [`1 (\`OCR_PAGE_THREADS=1\`)`, ...cells(ones), numbers(ones, (side) => side.coresBusy), '100 %'],
          [
            `2 (\`OCR_PAGE_THREADS=2\`)`,
            ...cells(twos),
            numbers(twos, (side) => side.coresBusy),
            spread(ratios, percent),
          ],
        ],
      ),
      '',
      `Target (issue 13): a scanned document on 2 recognizers ≥ ${target}× one: ${verdict(ratio >= target)} ` +
        `by the median of ${rounds} rounds (${run.cpus} CPUs; the gain needs two idle cores). One ${count}-page PDF, ` +
        `every page ${pageFile} (1839×733) as a 300 dpi scan, one job per side and round, the sides taking turns ` +
        'on two warm workers (each after 2-page warm-up jobs, a scan and a text PDF); median (min–max) over the rounds. ' +
        `Worker cores busy: the CPU time of the worker's processes (engine process and recognizers included, from ` +
        `/proc) over the read, ÷ its wall time. Where one recognizer already keeps more than one core busy (the ` +
        `engine process's pdf.js, libvips and GC threads beside the recognizer), on ${run.cpus} CPUs two gain at most ` +
        `${run.cpus} ÷ the first row's figure: ${num(ceiling)}× here, with every CPU busy.`,
      '',
      ...markdownTable(
        ['text-layer PDF', 'pages read', 'wall s', 'engine s', 'pages/s (wall)', 'pages/s (engine)'],
        [
          [
            `${textPages} pages, one job`,
            ...cells(texts),
            numbers(texts, (side) => (side.engineS > 0 ? side.pages / side.engineS : 0)),
          ],
        ],
      ),
      '',
      `Target (issue 13): text-layer pages ≥ ${textLayerTarget} pages/s: ${verdict(textRate >= textLayerTarget)} ` +
        `by the median of ${rounds} rounds, from the request to the answer (upload, queue and records included). ` +
        `One ${textPages}-page PDF of dense A4 text pages (a title, two columns of Helvetica 10 pt, a five-row ` +
        'table; ~4,000 characters a page), read from its text layer with reading order rebuilt, no OCR; the ' +
        'two-recognizer worker above, one job per round.',
    ],
  };
}
