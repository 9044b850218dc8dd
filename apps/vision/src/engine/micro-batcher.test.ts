import { describe, expect, it } from 'vitest';
import { createMicroBatcher } from './micro-batcher.js';

// The batcher alone, with a plain function as the run (the ONNX one is in create-image-classifier.int.test.ts).
function doubler(options: { maxBatchSize: number; maxWaitMs: number; fail?: (items: number[]) => boolean }) {
  const batches: number[][] = [];
  const batcher = createMicroBatcher<number, number>({
    ...options,
    run: async (items) => {
      batches.push(items);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (options.fail?.(items)) throw new Error(`batch ${items.join(',')} failed`);
      return items.map((item) => item * 2);
    },
  });
  return { batcher, batches };
}

describe('createMicroBatcher', () => {
  it('runs calls that arrive within the wait as one batch, answering each in order', async () => {
    const { batcher, batches } = doubler({ maxBatchSize: 8, maxWaitMs: 20 });
    const results = await Promise.all([1, 2, 3, 4].map((n) => batcher.submit(n)));
    expect(results).toEqual([2, 4, 6, 8]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it('starts a full batch at once and caps its size', async () => {
    const { batcher, batches } = doubler({ maxBatchSize: 3, maxWaitMs: 10_000 });
    const started = Date.now();
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => batcher.submit(n)));
    expect(results).toEqual([2, 4, 6, 8, 10, 12]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('forms the next batch from calls that arrive while one runs, even with no wait', async () => {
    const { batcher, batches } = doubler({ maxBatchSize: 8, maxWaitMs: 0 });
    const first = batcher.submit(1);
    await new Promise((resolve) => setTimeout(resolve, 1));
    const rest = [2, 3, 4].map((n) => batcher.submit(n));
    expect(await Promise.all([first, ...rest])).toEqual([2, 4, 6, 8]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('fails only the batch whose run throws', async () => {
    const { batcher } = doubler({ maxBatchSize: 2, maxWaitMs: 5, fail: (items) => items.includes(3) });
    const results = await Promise.allSettled([1, 2, 3, 4].map((n) => batcher.submit(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
  });

  it('takes an aborted call out of its batch', async () => {
    const { batcher, batches } = doubler({ maxBatchSize: 8, maxWaitMs: 30 });
    const controller = new AbortController();
    const kept = batcher.submit(1);
    const dropped = batcher.submit(2, controller.signal);
    controller.abort(new Error('canceled'));
    await expect(dropped).rejects.toThrow('canceled');
    expect(await kept).toBe(2);
    expect(batches).toEqual([[1]]);
    await expect(batcher.submit(3, controller.signal)).rejects.toThrow('canceled');
  });
});
