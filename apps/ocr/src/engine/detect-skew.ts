import type { GreyImage } from './grey-image.js';

/** Largest skew looked for, in degrees either way: a page fed crooked, not a page turned on its side. */
const maxSkew = 10;
/** Work on about this many pixels across: text lines stay lines, the search stays in milliseconds. */
const sampleWidth = 800;
/** A skew smaller than this is left alone: tesseract takes it in its stride, and a rotation blurs. */
export const minCorrection = 0.3;

/** Ink pixels of a page sampled on a coarse grid, as coordinates. */
function inkPoints({ width, height, data }: GreyImage): { xs: Float32Array; ys: Float32Array } {
  const step = Math.max(1, Math.floor(width / sampleWidth));
  // Ink is what is clearly darker than the paper: a fixed fraction under the page's mean brightness.
  let sum = 0;
  let count = 0;
  for (let y = 0; y < height; y += step) {
    for (let x = 0; x < width; x += step) {
      sum += data[y * width + x] ?? 255;
      count++;
    }
  }
  const threshold = (sum / Math.max(1, count)) * 0.6;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < height; y += step) {
    for (let x = 0; x < width; x += step) {
      if ((data[y * width + x] ?? 255) < threshold) {
        xs.push(x / step);
        ys.push(y / step);
      }
    }
  }
  return { xs: Float32Array.from(xs), ys: Float32Array.from(ys) };
}

/** How sharply the ink falls into rows when the page is turned by `degrees`: the sum of squared row counts. */
function rowSharpness(xs: Float32Array, ys: Float32Array, degrees: number, rows: Float64Array): number {
  const radians = (degrees * Math.PI) / 180;
  const sin = Math.sin(radians);
  const cos = Math.cos(radians);
  rows.fill(0);
  const offset = rows.length / 2;
  for (let i = 0; i < xs.length; i++) {
    const row = Math.round((ys[i] ?? 0) * cos - (xs[i] ?? 0) * sin + offset);
    if (row >= 0 && row < rows.length) rows[row] = (rows[row] ?? 0) + 1;
  }
  let score = 0;
  for (const count of rows) score += count * count;
  return score;
}

/**
 * The angle (degrees, clockwise positive: lines falling to the right) that text lines make with
 * the horizontal, within ±10°, from the projection profile of the ink: at the right angle every
 * line's ink falls into few rows. A coarse search in half degrees, then a fine one in tenths.
 * 0 for a page with too little ink to tell.
 */
export function detectSkew(image: GreyImage): number {
  const { xs, ys } = inkPoints(image);
  if (xs.length < 200) return 0;
  const rows = new Float64Array(Math.ceil(Math.hypot(image.width, image.height)) * 2 + 4);
  const best = (from: number, to: number, step: number): number => {
    let angle = 0;
    let top = -1;
    for (let degrees = from; degrees <= to + 1e-9; degrees += step) {
      const score = rowSharpness(xs, ys, degrees, rows);
      if (score > top) {
        top = score;
        angle = degrees;
      }
    }
    return angle;
  };
  const coarse = best(-maxSkew, maxSkew, 0.5);
  const fine = best(coarse - 0.5, coarse + 0.5, 0.1);
  return Math.round(fine * 10) / 10;
}
