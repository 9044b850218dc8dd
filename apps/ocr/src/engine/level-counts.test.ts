import { describe, expect, it } from 'vitest';
import { addLanes, countLevels, levelLanes } from './level-counts.js';

/** The histogram the plain way: one counter per level. */
function oneLane(data: Uint8Array, from: number, to: number): Uint32Array {
  const histogram = new Uint32Array(256);
  for (let at = from; at < to; at++) histogram[data[at] ?? 0] = (histogram[data[at] ?? 0] ?? 0) + 1;
  return histogram;
}

describe('countLevels', () => {
  // Runs of one level (paper), then every level, over lengths that do and do not fill the four lanes.
  const data = Uint8Array.from({ length: 1_003 }, (_, i) => (i < 500 ? 255 : (i * 37) % 256));

  it.each([
    [0, 1_003],
    [1, 6],
    [498, 503],
    [7, 7],
  ])('counts data[%i, %i) as one lane would', (from, to) => {
    const counts = new Uint32Array(256 * levelLanes);
    countLevels(counts, 0, data, from, to);
    expect(addLanes(counts)).toEqual(oneLane(data, from, to));
  });

  it('keeps histograms side by side apart (a base per cell)', () => {
    const counts = new Uint32Array(2 * 256 * levelLanes);
    countLevels(counts, 0, data, 0, 500);
    countLevels(counts, 256, data, 500, 1_003);
    const both = addLanes(counts);
    expect(both.subarray(0, 256)).toEqual(oneLane(data, 0, 500));
    expect(both.subarray(256)).toEqual(oneLane(data, 500, 1_003));
  });
});
