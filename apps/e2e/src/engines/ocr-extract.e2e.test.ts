import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { OcrExtractOutput } from '@gantry/contracts';
import { runtimeTestWorkerModule } from '@gantry/queue-runtime/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, peakRssBytes } from './engine-processes.js';
import { type EngineStack, fixturesDir, startEngineStack, workerModule } from './engine-stack.js';
import type { ErrorReply, Job } from './gantry-client.js';
import { imageVariants } from './image-variants.js';
import { pngBomb } from '@gantry/image-input/testing';
import { childProcesses, engineTitle, ocrEngineKinds } from '@gantry/ocr-worker/testing';
import { characterErrorRate } from '@gantry/ocr-worker/testing';

// Real: gateway over HTTP, Redis queue, Postgres, the OCR worker with two engine processes, once with
// tesseract.js and once with OCR_ENGINE=native (Debian's tesseract CLI; skipped, saying so, where missing).
const fixture = (name: string) => readFileSync(path.join(fixturesDir, 'ocr', name));
const invoice = fixture('invoice-clean.png');
const invoiceText = fixture('invoice.gt.txt').toString('utf8');

let stack: EngineStack;
/** The model version the running engine reports (tesseract.js's traineddata, or the native CLI's). */
let modelVersion: RegExp;

const ocrWorker = () => stack.workers[0] as NonNullable<EngineStack['workers'][0]>;
const extract = (bytes: Uint8Array, filename: string, waitS = 30) =>
  stack.client.upload<Job<OcrExtractOutput>>('ocr.extract', { bytes, filename }, {}, waitS);
const ended = async (reply: Awaited<ReturnType<typeof extract>>) =>
  reply.status === 200 ? reply.body : stack.client.waitFor<OcrExtractOutput>(reply.body.id);

/** What every good read must show: the text, one page of its size, words in boxes inside it, the model. */
async function expectReads(job: Job<OcrExtractOutput>, image: string, truth: string) {
  expect(job.status).toBe('succeeded');
  expect(job.input).toMatchObject({ file: { media_type: 'image/png', filename: image }, languages: ['eng'] });
  expect(job.model).toEqual({
    name: expect.stringMatching(/^tesseract/),
    version: expect.stringMatching(modelVersion),
    sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
  });
  const expected = fixture(truth).toString('utf8');
  const output = job.output as OcrExtractOutput;
  expect(characterErrorRate(output.text, expected)).toBeLessThanOrEqual(0.02);
  const { width, height } = await sharp(fixture(image)).metadata();
  expect(output.pages).toHaveLength(1);
  const [page] = output.pages;
  expect(page).toMatchObject({ number: 1, width, height });
  expect(page?.words.length).toBeGreaterThan(20);
  for (const { bbox } of page?.words ?? []) {
    expect(bbox.x0).toBeLessThan(bbox.x1);
    expect(bbox.y0).toBeLessThan(bbox.y1);
    expect(bbox.x1).toBeLessThanOrEqual(width);
    expect(bbox.y1).toBeLessThanOrEqual(height);
  }
  // The words carry the text too, not just the page string.
  expect(characterErrorRate(page?.words.map((w) => w.text).join(' ') ?? '', expected)).toBeLessThanOrEqual(
    0.02,
  );
}

for (const engineKind of ocrEngineKinds) {
  const { kind } = engineKind;
  describe.skipIf(engineKind.skip !== null)(
    `ocr.extract through the whole stack, ${engineTitle(engineKind)}`,
    () => {
      beforeAll(async () => {
        modelVersion = kind === 'native' ? /^native-\d/ : /^4\.0\.0_best_int$/;
        stack = await startEngineStack(`ocr_${kind === 'native' ? 'native' : 'js'}`, [
          { module: workerModule('ocr'), app: 'ocr', concurrency: 2, env: { OCR_ENGINE: kind } },
          // test.spin stands in for a job that outlives its timeout: see the timeout test.
          { module: runtimeTestWorkerModule, app: 'runtime-test', concurrency: 1, catalogue: [] },
        ]);
      });
      afterAll(() => stack?.close());

      it('reads invoice-clean.png under Prefer: wait, with words, boxes and the model on the job', async () => {
        const reply = await extract(invoice, 'invoice-clean.png');
        expect(reply.status).toBe(200);
        await expectReads(reply.body, 'invoice-clean.png', 'invoice.gt.txt');
      });

      it('reads page-a4.png while streaming its progress over SSE', async () => {
        const reply = await extract(fixture('page-a4.png'), 'page-a4.png', 0);
        expect(reply.status).toBe(202);
        const events = await stack.client.events(reply.body.id);
        const pcts = events.filter((e) => e.event === 'progress').map((e) => (e.data as { pct: number }).pct);
        expect(pcts.length).toBeGreaterThanOrEqual(3);
        expect(pcts.some((pct) => pct > 0 && pct < 100)).toBe(true);
        expect(pcts).toEqual([...pcts].sort((a, b) => a - b));
        expect(events.at(-1)).toMatchObject({ event: 'completed', data: { status: 'succeeded' } });
        await expectReads(await stack.client.job(reply.body.id), 'page-a4.png', 'page-a4.gt.txt');
      });

      // A dozen files on two engine processes: over 60 s at load 25+ on the 2-core machine.
      it('reads the same invoice from rotated, CMYK, 16-bit, alpha-only and animated files', async () => {
        const variants = await imageVariants(invoice, 'ink');
        const jobs = await Promise.all(variants.map(async (v) => ended(await extract(v.bytes, v.filename))));
        jobs.forEach((job, i) => {
          const name = variants[i]?.name;
          expect(job.error, name).toBeNull();
          expect(job.status, name).toBe('succeeded');
          expect(characterErrorRate(job.output?.text ?? '', invoiceText), name).toBeLessThanOrEqual(0.02);
          // Every frame of an animation is a page to OCR (vision reads the first): here a blank second one.
          expect(job.output?.pages, name).toHaveLength(variants[i]?.filename.endsWith('.gif') ? 2 : 1);
          expect(job.output?.pages[0], name).toMatchObject({ width: 1839, height: 733 });
        });
      }, 120_000);

      it('refuses what is not an image at the gateway with 415, by its sniffed type', async () => {
        const reply = await extract(Buffer.from('Dear customer,\nthis is not a picture.\n'), 'letter.png');
        expect(reply.status).toBe(415);
        expect((reply.body as unknown as ErrorReply).error).toMatchObject({
          code: 'UNSUPPORTED_MEDIA_TYPE',
          details: { media_type: 'text/plain' },
        });
      });

      it('refuses an empty upload at the gateway with 415', async () => {
        const reply = await extract(Buffer.alloc(0), 'empty.png');
        expect(reply.status).toBe(415);
        expect((reply.body as unknown as ErrorReply).error).toMatchObject({
          code: 'UNSUPPORTED_MEDIA_TYPE',
          details: { media_type: 'application/x-empty' },
        });
      });

      it('fails a truncated PNG as MEDIA_CORRUPT without retrying it', async () => {
        const job = await ended(await extract(invoice.subarray(0, invoice.length / 2), 'cut.png'));
        expect(job).toMatchObject({
          status: 'failed',
          attempt: 1,
          error: { code: 'MEDIA_CORRUPT', retryable: false },
        });
      });

      it('fails a decompression bomb as MEDIA_TOO_LARGE at once, and the worker keeps serving', async () => {
        const bomb = await pngBomb(50_000, 50_000);
        expect(bomb.length).toBeLessThan(2_000_000);
        const pids = ocrWorker().enginePids();
        const peakBefore = pids.map(peakRssBytes);
        const started = Date.now();
        const job = await ended(await extract(bomb, 'bomb.png'));
        expect(Date.now() - started).toBeLessThan(3_000);
        expect(job).toMatchObject({
          status: 'failed',
          error: { code: 'MEDIA_TOO_LARGE', details: { width: 50_000, height: 50_000 } },
        });
        // 2.5 G pixels would be gigabytes; neither engine's peak memory may have moved by more than a little.
        expect(ocrWorker().enginePids()).toEqual(pids);
        pids.forEach((pid, i) =>
          expect(peakRssBytes(pid) - (peakBefore[i] ?? 0)).toBeLessThan(64 * 1024 * 1024),
        );
        const next = await ended(await extract(invoice, 'invoice-clean.png'));
        expect(next.status).toBe('succeeded');
      });

      it('cancels a long job while it runs: canceled, its engine process gone within 2 s, the slot refilled', async () => {
        const page = fixture('page-a4.png');
        // sharp joins grey pages into RGB + alpha + one extra band; store them as the one grey band they are.
        const tiff = await sharp(Array<Buffer>(8).fill(page), { join: { animated: true } })
          .toColourspace('b-w')
          .removeAlpha()
          .tiff({ compression: 'lzw' })
          .toBuffer();
        const pidsBefore = ocrWorker().enginePids();
        expect(pidsBefore).toHaveLength(2);
        const { body } = await extract(tiff, 'eight-pages.tiff', 0);
        await stack.client.waitFor(
          body.id,
          (job) => job.status === 'running' && job.progress.pct > 0,
          15_000,
        );

        // The native engine's warm CLIs are children of their engine process: the busy engine's go with it.
        // Cancel once one of them is reading (its CPU time grows), so the busy engine has its CLI.
        const clisOf = (engine: number) => childProcesses(engine, 'tesseract stdin stdout');
        const cpuNow = () => new Map(pidsBefore.flatMap(clisOf).map((cli) => [cli.pid, cli.cpuSeconds]));
        const before = cpuNow();
        if (kind === 'native')
          await expect
            .poll(() => [...cpuNow()].some(([cli, cpu]) => cpu > (before.get(cli) ?? 0) + 0.2), {
              timeout: 10_000,
            })
            .toBe(true);
        const clis = new Map(pidsBefore.map((engine) => [engine, clisOf(engine).map((cli) => cli.pid)]));
        const canceledAt = Date.now();
        const reply = await stack.client.cancel(body.id);
        expect(reply.status).toBe(202);
        expect(reply.body.status).toBe('canceled');
        while (pidsBefore.every(isAlive) && Date.now() - canceledAt < 2_000)
          await new Promise((resolve) => setTimeout(resolve, 20));
        // Exactly the busy engine was killed; the idle one was left alone.
        expect(pidsBefore.filter(isAlive)).toHaveLength(1);
        expect(Date.now() - canceledAt).toBeLessThan(2_000);
        const killed = pidsBefore.filter((engine) => !isAlive(engine));
        if (kind === 'native') expect(killed.flatMap((engine) => clis.get(engine) ?? [])).not.toEqual([]);
        await expect
          .poll(() => killed.flatMap((engine) => clis.get(engine) ?? []).filter(isAlive), { timeout: 2_000 })
          .toEqual([]);
        expect((await stack.client.job(body.id)).status).toBe('canceled');

        const next = await ended(await extract(invoice, 'invoice-clean.png'));
        expect(next.status).toBe('succeeded');
        await expect.poll(() => ocrWorker().enginePids().length, { timeout: 10_000 }).toBe(2);
      });

      // The timeout of ocr.extract comes from its contract (120 s) and a request cannot shorten it, so a
      // job that outlives its timeout is the runtime's test.spin (timeout 1.5 s), a loop only a kill stops.
      it('times out a job that outlives its contract timeout and kills its engine process', async () => {
        const spinWorker = stack.workers[1] as NonNullable<EngineStack['workers'][1]>;
        const pids = spinWorker.enginePids();
        expect(pids).toHaveLength(1);
        const reply = await stack.client.submit('test.spin', { ms: 60_000 });
        expect(reply.status).toBe(202);
        const job = await stack.client.waitFor((reply.body as Job).id, undefined, 10_000);
        expect(job).toMatchObject({ status: 'timed_out', error: { code: 'JOB_TIMED_OUT' } });
        await expect.poll(() => pids.filter(isAlive), { timeout: 2_000 }).toEqual([]);
      });
    },
  );
}
