import type { GreyImage } from './grey-image.js';
import { addLanes, countLevels, levelLanes } from './level-counts.js';

export interface InkStatistics {
  /** Median length of the horizontal ink runs, pixels: about the width of a vertical stroke. */
  strokeWidth: number;
  /** Share of ink pixels with at most one ink neighbour of eight: specks, not strokes (a stroke pixel has 2+). */
  speckShare: number;
}

/**
 * Each page's level, by its pixels: ink statistics and rule removal both ask for it, of the same
 * pixels unless the page was turned, deskewed or despeckled in between (an A4 page's histogram is
 * 8.7 million reads).
 */
const levels = new WeakMap<Buffer, number>();

/** Otsu's threshold of the grey histogram: the level that best splits ink from paper. */
export function otsuLevel({ data }: GreyImage): number {
  const known = levels.get(data);
  if (known !== undefined) return known;
  const level = histogramOtsuLevel(data);
  levels.set(data, level);
  return level;
}

// Loops over every pixel are small functions of their own: V8 compiles them tighter than the same
// loop inside a larger function (measured on the fixture pages, same results).

/** Marks `ink[to, to + length)` 1 where `data[from, from + length)` is at most `level`, else 0. */
export function markInk(
  ink: Uint8Array,
  to: number,
  data: Uint8Array,
  from: number,
  length: number,
  level: number,
): void {
  for (let i = 0; i < length; i++) ink[to + i] = (data[from + i] ?? 255) <= level ? 1 : 0;
}

/**
 * One row of the ink mask (`row`, with `above` and `below` the rows around it, each with a border
 * of paper): each horizontal ink run's length into `runs` (the last bucket takes every longer
 * one), ink pixels into `tally[0]`, and into `tally[1]` those with at most one ink neighbour of eight.
 */
function tallyInkRow(
  ink: Uint8Array,
  [above, row, below]: readonly [number, number, number],
  width: number,
  runs: Uint32Array,
  tally: Float64Array,
): void {
  const longest = runs.length - 1;
  let [inkPixels, specks] = [0, 0];
  // From run to run: indexOf skips the paper between them in native code.
  for (let start = ink.indexOf(1, row + 1); start >= 0 && start <= row + width; ) {
    let at = start;
    for (; at <= row + width && ink[at] === 1; at++) {
      const up = at - row + above;
      const down = at - row + below;
      const neighbours =
        (ink[up - 1] ?? 0) +
        (ink[up] ?? 0) +
        (ink[up + 1] ?? 0) +
        (ink[at - 1] ?? 0) +
        (ink[at + 1] ?? 0) +
        (ink[down - 1] ?? 0) +
        (ink[down] ?? 0) +
        (ink[down + 1] ?? 0);
      if (neighbours <= 1) specks++;
    }
    const run = at - start;
    inkPixels += run;
    const bucket = Math.min(run, longest);
    runs[bucket] = (runs[bucket] ?? 0) + 1;
    start = ink.indexOf(1, at);
  }
  tally[0] = (tally[0] ?? 0) + inkPixels;
  tally[1] = (tally[1] ?? 0) + specks;
}

function histogramOtsuLevel(data: Buffer): number {
  const counts = new Uint32Array(256 * levelLanes);
  countLevels(counts, 0, data, 0, data.length);
  return levelOfHistogram(addLanes(counts), data.length);
}

/**
 * Gives otsuLevel the histogram of `data` that another pass over the same pixels counted
 * (backgroundSpread's cells add up to it), so that it need not count them again.
 */
export function rememberHistogram(data: Buffer, histogram: Uint32Array): void {
  if (!levels.has(data)) levels.set(data, levelOfHistogram(histogram, data.length));
}

function levelOfHistogram(histogram: Uint32Array, total: number): number {
  let sum = 0;
  for (let level = 0; level < 256; level++) sum += level * (histogram[level] ?? 0);
  let [below, sumBelow, best, level] = [0, 0, -1, 127];
  for (let t = 0; t < 256; t++) {
    below += histogram[t] ?? 0;
    if (below === 0 || below === total) continue;
    sumBelow += t * (histogram[t] ?? 0);
    const meanBelow = sumBelow / below;
    const meanAbove = (sum - sumBelow) / (total - below);
    const between = below * (total - below) * (meanBelow - meanAbove) ** 2;
    if (between > best) [best, level] = [between, t];
  }
  return level;
}

/**
 * What a page's ink looks like once split from the paper at Otsu's level: how thick its strokes
 * are (thin strokes do not survive a 3×3 median) and how much of it is isolated specks (speckle,
 * fax noise, dust), which tesseract otherwise reads as stray characters.
 */
export function inkStatistics(page: GreyImage): InkStatistics {
  const { data, width, height } = page;
  const level = otsuLevel(page);
  // The ink mask three rows at a time, each with a border of paper (every pixel has eight
  // neighbours to look at, no bounds checks in the loop): row y in slot y mod 3, the rows outside
  // the page all paper. A whole page's mask (8.7 MB on A4) cost more in fresh memory than in work.
  const stride = width + 2;
  const ink = new Uint8Array(3 * stride);
  const slot = (y: number) => ((y + 3) % 3) * stride;
  const markRow = (y: number) => {
    if (y < height) markInk(ink, slot(y) + 1, data, y * width, width, level);
    else ink.fill(0, slot(y), slot(y) + stride);
  };
  markRow(0);
  const runs = new Uint32Array(64);
  const tally = new Float64Array(2);
  for (let y = 0; y < height; y++) {
    markRow(y + 1);
    tallyInkRow(ink, [slot(y - 1), slot(y), slot(y + 1)], width, runs, tally);
  }
  const [inkPixels = 0, specks = 0] = tally;
  const count = runs.reduce((sum, n) => sum + n, 0);
  let [seen, strokeWidth] = [0, 0];
  for (let length = 1; length < runs.length; length++) {
    seen += runs[length] ?? 0;
    if (seen >= count / 2) {
      strokeWidth = length;
      break;
    }
  }
  return { strokeWidth, speckShare: inkPixels === 0 ? 0 : specks / inkPixels };
}
