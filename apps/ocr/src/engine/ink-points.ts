import type { GreyImage } from './grey-image.js';

/** Ink pixels of a page, sampled every `step` pixels, as coordinates in sample units. */
export interface InkPoints {
  readonly xs: Float32Array;
  readonly ys: Float32Array;
  /** The sampled page's size, in sample units. */
  readonly width: number;
  readonly height: number;
}

/**
 * The ink of a page on a grid about `sampleWidth` samples across. Ink is what is clearly darker
 * than the paper: a fixed fraction under the page's mean brightness.
 */
export function inkPoints({ width, height, data }: GreyImage, sampleWidth: number): InkPoints {
  const step = Math.max(1, Math.floor(width / sampleWidth));
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
  return {
    xs: Float32Array.from(xs),
    ys: Float32Array.from(ys),
    width: Math.ceil(width / step),
    height: Math.ceil(height / step),
  };
}

/** The points turned by `degrees` (clockwise positive) about the origin: their rows, as text lines see them. */
export function rowsAt(xs: Float32Array, ys: Float32Array, degrees: number): Float32Array {
  const radians = (degrees * Math.PI) / 180;
  const sin = Math.sin(radians);
  const cos = Math.cos(radians);
  return ys.map((y, i) => y * cos - (xs[i] ?? 0) * sin);
}
