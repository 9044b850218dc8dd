import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { OcrExtractOutput } from '@gantry/contracts';
import {
  brokenXrefPdf,
  hugeMediaBoxPdf,
  javascriptPdf,
  manyPagesPdf,
  mixedPdf,
  oneLineText,
  ownerPasswordPdf,
  pageTreeCyclePdf,
  tablePage,
  tableRows,
  textPdf,
  truncatedPdf,
  userPasswordPdf,
  characterErrorRate,
} from '@gantry/ocr-worker/testing';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from './engine-processes.js';
import { type EngineStack, fixturesDir, startEngineStack, workerModule } from './engine-stack.js';
import type { ErrorReply, Job } from './gantry-client.js';

// Real: gateway over HTTP, Redis queue, Postgres, the OCR worker with two engine processes running
// pdf.js and tesseract.js. PDFs are built by @gantry/ocr-worker/testing (pdf-lib), small on purpose.
const invoice = readFileSync(path.join(fixturesDir, 'ocr', 'invoice-clean.png'));
const invoiceText = readFileSync(path.join(fixturesDir, 'ocr', 'invoice.gt.txt'), 'utf8');
const maxPages = 6;
const maxPixels = 4_000_000;

let stack: EngineStack;
beforeAll(async () => {
  stack = await startEngineStack('ocrdocs', [
    {
      module: workerModule('ocr'),
      app: 'ocr',
      concurrency: 2,
      env: { OCR_MAX_PAGES: String(maxPages), MAX_IMAGE_PIXELS: String(maxPixels) },
    },
  ]);
}, 120_000);
afterAll(() => stack?.close());

const submit = (bytes: Uint8Array, filename: string, input: Record<string, unknown> = {}) =>
  stack.client.upload<Job<OcrExtractOutput>>('ocr.extract', { bytes, filename }, input);
const run = async (bytes: Uint8Array, filename: string, input: Record<string, unknown> = {}) =>
  stack.client.waitFor<OcrExtractOutput>((await submit(bytes, filename, input)).body.id, undefined, 60_000);
const ocrPids = () => (stack.workers[0] as NonNullable<EngineStack['workers'][0]>).enginePids();

const columns = [
  { x: 72, y: 72, text: 'Harbour Logistics Newsletter', size: 16 },
  ...['Our new depot in Leeds opened', 'in September with forty bays'].map((text, i) => ({
    x: 72,
    y: 130 + 14 * i,
    text,
  })),
  ...['Drivers now book their slots', 'online the day before they'].map((text, i) => ({
    x: 320,
    y: 130 + 14 * i,
    text,
  })),
];
const columnsText =
  'Harbour Logistics Newsletter\n\nOur new depot in Leeds opened\nin September with forty bays\n\n' +
  'Drivers now book their slots\nonline the day before they\n';

describe('ocr.extract on documents through the whole stack', () => {
  it('reads a mixed PDF page by page: text layer in reading order, the scan recognised, progress per page', async () => {
    const pdf = await mixedPdf([{ text: columns }, { scan: invoice }, { scan: await tablePage() }]);
    const { body } = await submit(pdf, 'mixed.pdf');
    // Followed from the start: the two scans take seconds each, so their pages are seen live.
    const events = await stack.client.events(body.id);
    const job = await stack.client.job<OcrExtractOutput>(body.id);
    expect(job.status).toBe('succeeded');
    expect(job.input).toMatchObject({ file: { media_type: 'application/pdf' } });
    const output = job.output as OcrExtractOutput;
    expect(output.pages.map((p) => p.source)).toEqual(['text_layer', 'ocr', 'ocr']);
    expect(output.pages[0]?.text).toBe(columnsText);
    expect(characterErrorRate(output.pages[1]?.text ?? '', invoiceText)).toBeLessThanOrEqual(0.02);
    // The scanned table, row by row.
    expect(output.pages[2]?.text.trim().split('\n')).toEqual(tableRows.map((row) => row.join(' ')));
    expect(output.text.split('\f')).toHaveLength(3);

    const messages = events
      .filter((e) => e.event === 'progress')
      .map((e) => (e.data as { message: string | null }).message ?? '');
    for (const page of ['page 2/3', 'page 3/3']) {
      expect(messages.some((m) => m.startsWith(page))).toBe(true);
    }
  });

  it('reads a text layer drawn out of order (footer first, table bottom-up, right column first) in reading order', async () => {
    const [heading, ...columnLines] = columns;
    const table = tableRows.flatMap((row, r) =>
      row.map((text, c) => ({ x: 72 + ([0, 200, 300][c] ?? 0), y: 300 + 16 * r, text })),
    );
    const footer = { x: 72, y: 800, text: 'Printed by Harbour Logistics' };
    const pdf = await textPdf([
      [
        footer,
        ...[...table].reverse(),
        ...columnLines.slice(2).reverse(),
        ...columnLines.slice(0, 2),
        ...(heading ? [heading] : []),
      ],
    ]);
    const job = await run(pdf, 'scrambled.pdf');
    expect(job.status).toBe('succeeded');
    expect(job.output?.text).toBe(
      `${columnsText}\n${tableRows.map((row) => row.join(' ')).join('\n')}\n\n${footer.text}\n`,
    );
  });

  it('reads every page of a multi-page TIFF, straightening the one fed 3° crooked', async () => {
    const crooked = await sharp(invoice)
      .rotate(3, { background: '#fff' })
      .flatten({ background: '#fff' })
      .png()
      .toBuffer();
    const { width = 0, height = 0 } = await sharp(crooked).metadata();
    const grey = (image: Sharp) =>
      image.flatten({ background: '#fff' }).toColourspace('b-w').png().toBuffer();
    const pages = [
      await grey(sharp(crooked)),
      await grey(sharp(await tablePage()).resize(width, height, { fit: 'contain', background: '#fff' })),
    ];
    // sharp joins grey pages into RGB + alpha + one extra band; store them as the one grey band they are.
    const tiff = await sharp(pages, { join: { animated: true } })
      .toColourspace('b-w')
      .removeAlpha()
      .tiff()
      .toBuffer();
    const job = await run(tiff, 'two-pages.tiff');
    expect(job.status).toBe('succeeded');
    expect(job.output?.pages.map((p) => [p.number, p.source, p.dpi])).toEqual([
      [1, 'ocr', null],
      [2, 'ocr', null],
    ]);
    const [skewed, table] = job.output?.pages ?? [];
    expect(skewed?.rotation).toBeCloseTo(-3, 0);
    expect(characterErrorRate(skewed?.text ?? '', invoiceText)).toBeLessThanOrEqual(0.02);
    expect(table?.text.trim().split('\n')).toEqual(tableRows.map((row) => row.join(' ')));
  });
});

describe('hostile PDFs through the whole stack: a typed answer, and the worker keeps serving', () => {
  const failsWith = async (bytes: Uint8Array, code: string, input: Record<string, unknown> = {}) => {
    const job = await run(bytes, 'hostile.pdf', input);
    expect(job).toMatchObject({ status: 'failed', attempt: 1, error: { code, retryable: false } });
    // Timed from the start of the run, not the wait for an engine process (one may still be restarting).
    expect(Date.parse(job.completed_at ?? '') - Date.parse(job.started_at ?? '')).toBeLessThan(5_000);
    return job;
  };
  const reads = async (bytes: Uint8Array, input: Record<string, unknown> = {}) => {
    const job = await run(bytes, 'hostile.pdf', input);
    expect(job.status).toBe('succeeded');
    return job.output as OcrExtractOutput;
  };

  it('a user password: PDF_ENCRYPTED', async () => {
    await failsWith(await userPasswordPdf(), 'PDF_ENCRYPTED');
  });

  it('an owner password only: read', async () => {
    expect((await reads(await ownerPasswordPdf())).text).toBe(`${oneLineText}\n`);
  });

  it('JavaScript actions: ignored, the text read', async () => {
    expect((await reads(await javascriptPdf())).text).toBe(`${oneLineText}\n`);
  });

  it('more pages than OCR_MAX_PAGES: MEDIA_TOO_LARGE, or the first pages when the input asks', async () => {
    const pdf = await manyPagesPdf(maxPages + 2);
    const job = await failsWith(pdf, 'MEDIA_TOO_LARGE');
    expect(job.error?.details).toMatchObject({ pages: maxPages + 2, max_pages: maxPages });
    const first = await reads(pdf, { on_page_limit: 'first_pages' });
    expect(first).toMatchObject({ page_count: maxPages + 2, truncated: true });
    expect(first.pages).toHaveLength(maxPages);
    const range = await reads(pdf, { pages: { first: 7, last: 8 } });
    expect(range.text).toBe('Page 7 of the long report\n\fPage 8 of the long report\n');
  });

  it('a range past the last page: VALIDATION_FAILED from the worker; one ending before it starts: 422 from the gateway', async () => {
    const pdf = await manyPagesPdf(3);
    const job = await failsWith(pdf, 'VALIDATION_FAILED', { pages: { first: 4 } });
    expect(job.error?.details).toMatchObject({ pages: 3 });
    const refused = await stack.client.upload<ErrorReply>(
      'ocr.extract',
      { bytes: pdf, filename: 'backwards.pdf' },
      { pages: { first: 3, last: 2 } },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ path: ['pages'], message: 'pages.last must not be before pages.first' }] },
    });
  });

  it('a huge media box: rendered within MAX_IMAGE_PIXELS', async () => {
    const output = await reads(await hugeMediaBoxPdf(invoice));
    const page = output.pages[0];
    expect(page?.source).toBe('ocr');
    expect((page?.width ?? 0) * (page?.height ?? 0)).toBeLessThanOrEqual(maxPixels);
  });

  it('a truncated file: MEDIA_CORRUPT', async () => {
    await failsWith(await truncatedPdf(), 'MEDIA_CORRUPT');
  });

  it('a page tree that contains itself: MEDIA_CORRUPT', async () => {
    await failsWith(await pageTreeCyclePdf(), 'MEDIA_CORRUPT');
  });

  it('a broken cross-reference table: rebuilt and read', async () => {
    expect((await reads(await brokenXrefPdf())).text).toBe(`${oneLineText}\n`);
  });

  it('still serves a plain text PDF afterwards, on the same engine processes', async () => {
    const pids = ocrPids();
    expect((await reads(await textPdf([columns]))).text).toBe(columnsText);
    expect(ocrPids()).toEqual(pids);
  });
});

// Last: the engine process it kills is restarted in the background, which takes a while on a busy machine.
describe('canceling a document', () => {
  it('cancels a scanned PDF between pages: canceled, its engine process gone within 2 s', async () => {
    const pdf = await mixedPdf(Array.from({ length: maxPages }, () => ({ scan: invoice })));
    const pidsBefore = ocrPids();
    const { body } = await submit(pdf, 'scans.pdf');
    // Once a page past the first has begun, with pages left to read: any of them, since pages read side by
    // side replace each other's message, and a loaded machine's polls could miss page 2's alone.
    const pastFirst = new RegExp(`^page [2-4]/${maxPages}:`);
    await stack.client.waitFor(body.id, (job) => pastFirst.test(job.progress.message ?? ''), 30_000);
    const canceledAt = Date.now();
    expect((await stack.client.cancel(body.id)).status).toBe(202);
    await expect.poll(() => pidsBefore.filter(isAlive).length, { timeout: 2_000, interval: 20 }).toBe(1);
    expect(Date.now() - canceledAt).toBeLessThan(2_000);
    expect((await stack.client.job(body.id)).status).toBe('canceled');
    await expect.poll(() => ocrPids().length, { timeout: 15_000 }).toBe(2);
  });
});
