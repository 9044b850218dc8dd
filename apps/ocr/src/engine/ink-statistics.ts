import type { GreyImage } from './grey-image.js';

export interface InkStatistics {
  /** Median length of the horizontal ink runs, pixels: about the width of a vertical stroke. */
  strokeWidth: number;
  /** Share of ink pixels with at most one ink neighbour of eight: specks, not strokes (a stroke pixel has 2+). */
  speckShare: number;
}

/** Otsu's threshold of the grey histogram: the level that best splits ink from paper. */
export function otsuLevel({ data }: GreyImage): number {
  const histogram = new Float64Array(256);
  for (const value of data) histogram[value] = (histogram[value] ?? 0) + 1;
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
  const ink = (x: number, y: number) =>
    x >= 0 && y >= 0 && x < width && y < height && (data[y * width + x] ?? 255) <= level;
  const runs = new Uint32Array(64);
  let [inkPixels, specks] = [0, 0];
  for (let y = 0; y < height; y++) {
    let run = 0;
    for (let x = 0; x <= width; x++) {
      if (x < width && ink(x, y)) {
        run++;
        inkPixels++;
        let neighbours = 0;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) if ((dx || dy) && ink(x + dx, y + dy)) neighbours++;
        if (neighbours <= 1) specks++;
      } else if (run > 0) {
        runs[Math.min(run, runs.length - 1)] = (runs[Math.min(run, runs.length - 1)] ?? 0) + 1;
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
