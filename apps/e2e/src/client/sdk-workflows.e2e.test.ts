import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type Batch,
  ConflictError,
  GantryClient,
  InvalidRequestError,
  NotFoundError,
  PipelineRunFailedError,
  fileFromPath,
} from '@gantry/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineStack, fixturesDir } from '../engines/engine-stack.js';
import { startClientStack } from './client-stack.js';

// The SDK's pipelines and batches on a running stack: the real gateway with its pipeline orchestrator,
// the runtime's test worker (test.sleep, test.checksum, test.flaky) with its engine processes.
let stack: EngineStack;
let gantry: GantryClient;

beforeAll(async () => {
  stack = await startClientStack('sdk-workflows', { llm: false });
  gantry = new GantryClient({ url: stack.gateway.url, apiKey: stack.key });
}, 180_000);
afterAll(() => stack?.close());

const sleepStep = (id: string, ms: unknown) => ({ id, type: 'test.sleep', input: { ms } });

const batchEnded = async (id: string): Promise<Batch> => {
  // A wait, not a speed target: the e2e files share two cores with the rest of the test run.
  for (const started = Date.now(); Date.now() - started < 45_000; ) {
    const batch = await gantry.getBatch(id);
    if (batch.completed_at !== null) return batch;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`batch ${id} did not end in 45 s`);
};

describe('@gantry/client pipelines on a running stack', () => {
  it('runs an ad-hoc pipeline to its end, reporting progress, and reads it back', async () => {
    const progress: number[] = [];
    const run = await gantry.runPipeline(
      {
        steps: [sleepStep('first', '$input.ms'), sleepStep('second', '$steps.first.output.slept_ms')],
        output: { slept: '$steps.second.output.slept_ms' },
      },
      { ms: 50 },
      { onProgress: (p) => progress.push(p.pct) },
    );
    expect(run).toMatchObject({ status: 'succeeded', output: { slept: 50 } });
    expect(run.steps.map((step) => step.status)).toEqual(['succeeded', 'succeeded']);
    // The run reports each step's end as progress, the last at 100 % before its `completed`.
    expect(progress).toContain(50);
    expect(progress.at(-1)).toBe(100);
    expect(run.progress).toEqual({ pct: 100, message: '2/2 steps done' });
    expect(await gantry.getPipelineRun(run.id)).toEqual(run);
  });

  it('uploads the file option as the input’s file', async () => {
    const image = path.join(fixturesDir, 'images', 'dog.jpg');
    const run = await gantry.runPipeline(
      { steps: [{ id: 'sum', type: 'test.checksum', input: { file: '$input.file' } }] },
      {},
      { file: await fileFromPath(image) },
    );
    const sha256 = createHash('sha256')
      .update(await readFile(image))
      .digest('hex');
    expect(run.output).toMatchObject({ sha256 });
  });

  it('throws typed errors: an unknown name, an invalid definition, a failed run', async () => {
    await expect(gantry.submitPipeline('no-such-pipeline', {})).rejects.toMatchObject({
      constructor: NotFoundError,
      code: 'PIPELINE_NOT_FOUND',
    });
    await expect(
      gantry.submitPipeline({ steps: [{ id: 'x', type: 'no.such-type', input: {} }] }, {}),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    const failed = gantry.runPipeline(
      { steps: [{ id: 'boom', type: 'test.flaky', input: { code: 'VALIDATION_FAILED' } }] },
      {},
    );
    await expect(failed).rejects.toMatchObject({
      constructor: PipelineRunFailedError,
      code: 'VALIDATION_FAILED',
      run: { status: 'failed', steps: [{ id: 'boom', status: 'failed' }] },
    });
  });

  it('returns at once with wait: false, and cancels a running run once', async () => {
    const run = await gantry.runPipeline({ steps: [sleepStep('long', 60_000)] }, {}, { wait: false });
    expect(run.status).toMatch(/queued|running/);
    expect((await gantry.cancelPipelineRun(run.id)).status).toBe('canceled');
    await expect(gantry.cancelPipelineRun(run.id)).rejects.toMatchObject({
      constructor: ConflictError,
      code: 'JOB_NOT_CANCELABLE',
    });
  });
});

describe('@gantry/client batches on a running stack', () => {
  it('runs a JSON batch and streams its results in input order, failures with their errors', async () => {
    const batch = await gantry.submitBatch({
      type: 'test.sleep',
      items: [{ ms: 30 }, { ms: 10 }, { ms: 20 }],
    });
    expect(batch).toMatchObject({ type: 'test.sleep', total: 3 });
    expect((await batchEnded(batch.id)).status).toBe('succeeded');
    const lines = [];
    for await (const line of gantry.batchResults<'test.sleep'>(batch.id)) lines.push(line);
    expect(lines.map((line) => [line.index, line.status, line.output])).toEqual([
      [0, 'succeeded', expect.objectContaining({ slept_ms: 30 })],
      [1, 'succeeded', expect.objectContaining({ slept_ms: 10 })],
      [2, 'succeeded', expect.objectContaining({ slept_ms: 20 })],
    ]);

    const mixed = await gantry.submitBatch({
      type: 'test.flaky',
      items: [{ code: 'VALIDATION_FAILED' }],
    });
    await batchEnded(mixed.id);
    for await (const line of gantry.batchResults(mixed.id)) {
      expect(line).toMatchObject({ status: 'failed', error: { code: 'VALIDATION_FAILED' } });
    }
  }, 120_000);

  it('sends a JSONL file of inputs, and cancels a batch once', async () => {
    const jsonl = new Blob(['{"ms":60000}\n{"ms":60000}\n'], { type: 'application/x-ndjson' });
    const batch = await gantry.submitBatch({ type: 'test.sleep', jsonl });
    expect(batch.total).toBe(2);
    expect((await gantry.cancelBatch(batch.id)).status).toBe('canceled');
    await expect(gantry.cancelBatch(batch.id)).rejects.toMatchObject({
      constructor: ConflictError,
      code: 'JOB_NOT_CANCELABLE',
    });
    await expect(gantry.getBatch('batch_nope')).rejects.toMatchObject({ code: 'BATCH_NOT_FOUND' });
  });

  it('refuses items that do not match the type, naming each', async () => {
    await expect(
      gantry.submitBatch({ type: 'test.sleep', items: [{ ms: 10 }, { ms: -1 }] }),
    ).rejects.toMatchObject({ constructor: InvalidRequestError, code: 'VALIDATION_FAILED' });
  });
});
