import type { GreyImage } from './grey-image.js';

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

function histogramOtsuLevel(data: Buffer): number {
  const histogram = new Uint32Array(256);
  for (let i = 0; i < data.length; i++) {
    const value = data[i] ?? 0;
    histogram[value] = (histogram[value] ?? 0) + 1;
  }
  const total = data.length;
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
  // The ink mask with a one-pixel border of paper: every pixel has eight neighbours to look at,
  // no bounds checks in the loop (an 8.7 Mpx A4 page is walked once per job).
  const stride = width + 2;
  const ink = new Uint8Array(stride * (height + 2));
  for (let y = 0; y < height; y++) {
    const from = y * width;
    const to = (y + 1) * stride + 1;
    for (let x = 0; x < width; x++) ink[to + x] = (data[from + x] ?? 255) <= level ? 1 : 0;
  }
  const runs = new Uint32Array(64);
  const longest = runs.length - 1;
  let [inkPixels, specks] = [0, 0];
  for (let y = 0; y < height; y++) {
    let run = 0;
    const row = (y + 1) * stride + 1;
    for (let x = 0; x <= width; x++) {
      const at = row + x;
      if (x < width && ink[at] === 1) {
        run++;
        inkPixels++;
        const above = at - stride;
        const below = at + stride;
        const neighbours =
          (ink[above - 1] ?? 0) +
          (ink[above] ?? 0) +
          (ink[above + 1] ?? 0) +
          (ink[at - 1] ?? 0) +
          (ink[at + 1] ?? 0) +
          (ink[below - 1] ?? 0) +
          (ink[below] ?? 0) +
          (ink[below + 1] ?? 0);
        if (neighbours <= 1) specks++;
      } else if (run > 0) {
        const bucket = Math.min(run, longest);
        runs[bucket] = (runs[bucket] ?? 0) + 1;
        run = 0;
      }
    }
  }
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
