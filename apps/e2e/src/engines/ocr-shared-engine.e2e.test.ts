import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { OcrExtractOutput } from '@gantry/contracts';
import { mixedPdf } from '@gantry/ocr-worker/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from './engine-processes.js';
import { type EngineStack, fixturesDir, startEngineStack, workerModule } from './engine-stack.js';
import type { Job } from './gantry-client.js';

// Real: gateway over HTTP, Redis queue, Postgres, the OCR worker with ONE engine process that runs two
// jobs at once (OCR_ENGINE_CONCURRENCY=2), their pages sharing its two tesseract.js recognizers: the
// setting a large worker uses to put one document on every core.
const invoice = readFileSync(path.join(fixturesDir, 'ocr', 'invoice-clean.png'));

let stack: EngineStack;
beforeAll(async () => {
  stack = await startEngineStack('ocrshared', [
    {
      module: workerModule('ocr'),
      app: 'ocr',
      concurrency: 1,
      env: { OCR_ENGINE_CONCURRENCY: '2', OCR_PAGE_THREADS: '2' },
    },
  ]);
}, 120_000);
afterAll(() => stack?.close());

const scans = (pages: number) => mixedPdf(Array.from({ length: pages }, () => ({ scan: invoice })));
const submit = async (bytes: Uint8Array) =>
  (await stack.client.upload<Job<OcrExtractOutput>>('ocr.extract', { bytes, filename: 'scans.pdf' })).body.id;
const enginePids = () => (stack.workers[0] as NonNullable<EngineStack['workers'][0]>).enginePids();
const time = (at: string | null | undefined) => (at ? Date.parse(at) : Number.NaN);

describe('ocr.extract jobs sharing one engine process', () => {
  it('runs two documents at once on the one engine, each read whole and in order', async () => {
    const [engine] = enginePids();
    const ids = await Promise.all([submit(await scans(3)), submit(await scans(2))]);
    const jobs = await Promise.all(
      ids.map((id) => stack.client.waitFor<OcrExtractOutput>(id, undefined, 60_000)),
    );
    for (const job of jobs) {
      expect(job.status).toBe('succeeded');
      expect(job.output?.pages.map((page) => [page.number, page.source])).toEqual(
        job.output?.pages.map((_, i) => [i + 1, 'ocr']),
      );
      expect(job.output?.text).toContain('INVOICE No. 2024-0917');
    }
    // Side by side: each started before the other completed.
    const [a, b] = jobs as [Job<OcrExtractOutput>, Job<OcrExtractOutput>];
    expect(time(a.started_at)).toBeLessThan(time(b.completed_at));
    expect(time(b.started_at)).toBeLessThan(time(a.completed_at));
    expect(enginePids()).toEqual([engine]);
  });

  it('cancels one mid-document: its pages stop, the other finishes, the engine process stays', async () => {
    const [engine] = enginePids();
    // Canceled once a page past the first has begun, with pages left to read. Its two recognizers read
    // pages side by side and the progress message changes with each page's progress, so waiting for
    // one page's message could miss it between polls (it did, on a loaded CI machine).
    const long = await submit(await scans(12));
    await stack.client.waitFor(long, (job) => /^page [2-8]\/12:/.test(job.progress.message ?? ''), 30_000);
    const other = await submit(await scans(2));
    expect((await stack.client.cancel(long)).status).toBe(202);
    const [canceled, finished] = await Promise.all([
      stack.client.waitFor(long, undefined, 30_000),
      stack.client.waitFor<OcrExtractOutput>(other, undefined, 60_000),
    ]);
    expect(canceled.status).toBe('canceled');
    expect(finished.status).toBe('succeeded');
    expect(finished.output?.pages).toHaveLength(2);
    // The canceled job's page was stopped by killing its recognizer, within the 2 s grace: no engine was killed.
    expect(enginePids()).toEqual([engine]);
    expect(isAlive(engine as number)).toBe(true);
  });
});
