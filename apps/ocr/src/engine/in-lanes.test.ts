import { describe, expect, it } from 'vitest';
import { inLanes } from './in-lanes.js';

// Pure scheduling, nothing outside the process; the work is timers.
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('inLanes', () => {
  it('runs at most `lanes` at once and keeps the order of the items', async () => {
    let running = 0;
    let most = 0;
    const results = await inLanes([30, 10, 20, 5, 15], 2, async (ms, index) => {
      running++;
      most = Math.max(most, running);
      await sleep(ms);
      running--;
      return `${index}:${ms}`;
    });
    expect(results).toEqual(['0:30', '1:10', '2:20', '3:5', '4:15']);
    expect(most).toBe(2);
  });

  it('stops starting items after a failure and throws it', async () => {
    const started: number[] = [];
    const run = inLanes([1, 2, 3, 4, 5, 6], 2, async (item) => {
      started.push(item);
      await sleep(5);
      if (item === 2) throw new Error('page 2 is corrupt');
      return item;
    });
    await expect(run).rejects.toThrow('page 2 is corrupt');
    expect(started.length).toBeLessThan(6);
  });

  it('stops between items once aborted', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const run = inLanes(
      [1, 2, 3, 4],
      1,
      async (item) => {
        started.push(item);
        if (item === 2) controller.abort(new Error('canceled'));
        await sleep(1);
        return item;
      },
      controller.signal,
    );
    await expect(run).rejects.toThrow('canceled');
    expect(started).toEqual([1, 2]);
  });
});
