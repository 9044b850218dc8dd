import type { GreyImage } from './grey-image.js';
import { rememberHistogram } from './ink-statistics.js';
import { addLanes, countLevels, levelLanes } from './level-counts.js';

const grid = 8;
const paperQuantile = 0.9;

function quantile(histogram: Uint32Array, count: number, q: number): number {
  const target = q * count;
  let seen = 0;
  for (let level = 0; level < histogram.length; level++) {
    seen += histogram[level] ?? 0;
    if (seen >= target) return level;
  }
  return histogram.length - 1;
}

/**
 * How unevenly the paper is lit, in grey levels (0..255). The image is cut into an 8×8 grid; the
 * 90th-percentile brightness of a cell is the paper there (text covers far less than 90 % of a
 * cell). The spread is the difference between the 90th- and 10th-percentile cell, so a few cells
 * covered by a picture or a dark border do not count. A flatbed scan or a screenshot scores a few
 * levels; a phone photo with a shadow or a vignette scores tens.
 */
export function backgroundSpread({ data, width, height }: GreyImage): number {
  const cellWidth = Math.ceil(width / grid);
  const cellHeight = Math.ceil(height / grid);
  const columns = Math.ceil(width / cellWidth);
  const cells = columns * Math.ceil(height / cellHeight);
  const counts = new Uint32Array(cells * 256 * levelLanes);
  for (let y = 0; y < height; y++) {
    const rowCells = Math.floor(y / cellHeight) * columns;
    for (let column = 0; column < columns; column++) {
      const from = y * width + column * cellWidth;
      const to = Math.min(from + cellWidth, (y + 1) * width);
      countLevels(counts, (rowCells + column) * 256, data, from, to);
    }
  }
  const histograms = addLanes(counts);
  // The cells cover every pixel once: their sum is the page's histogram, which Otsu's level needs next.
  const page = new Uint32Array(256);
  for (let at = 0; at < histograms.length; at++) {
    page[at % 256] = (page[at % 256] ?? 0) + (histograms[at] ?? 0);
  }
  rememberHistogram(data, page);
  const paper: number[] = [];
  for (let cell = 0; cell < cells; cell++) {
    const histogram = histograms.subarray(cell * 256, cell * 256 + 256);
    paper.push(
      quantile(
        histogram,
        histogram.reduce((sum, n) => sum + n, 0),
        paperQuantile,
      ),
    );
  }
  paper.sort((a, b) => a - b);
  const low = paper[Math.floor((paper.length - 1) * 0.1)] ?? 0;
  const high = paper[Math.ceil((paper.length - 1) * 0.9)] ?? 0;
  return high - low;
}
