import type { GreyImage } from './grey-image.js';

/** Ink pixels of a page, sampled every `step` pixels, as coordinates in sample units. */
export interface InkPoints {
  readonly xs: Float32Array;
  readonly ys: Float32Array;
  /** The sampled page's size, in sample units. */
  readonly width: number;
  readonly height: number;
}

/** Half the side of the window whose mean brightness is the paper a sample is compared with, as a share of the grid's width. */
const windowShare = 1 / 40;

/**
 * The ink of a page on a grid about `sampleWidth` samples across. Ink is what is clearly darker
 * than the paper around it: a fixed fraction under the mean brightness of a window about 5 % of
 * the page wide. A single level for the whole page counts the paper of a shadowed side as ink,
 * and the shadow's edge then outweighs every text line in the orientation and skew tests.
 */
export function inkPoints({ width, height, data }: GreyImage, sampleWidth: number): InkPoints {
  const step = Math.max(1, Math.floor(width / sampleWidth));
  const columns = Math.ceil(width / step);
  const rows = Math.ceil(height / step);
  // Summed-area table of the samples: any window's mean in four look-ups.
  const sums = new Float64Array((columns + 1) * (rows + 1));
  for (let row = 0; row < rows; row++) {
    let rowSum = 0;
    for (let column = 0; column < columns; column++) {
      rowSum += data[row * step * width + column * step] ?? 255;
      sums[(row + 1) * (columns + 1) + column + 1] = (sums[row * (columns + 1) + column + 1] ?? 0) + rowSum;
    }
  }
  const radius = Math.max(4, Math.round(columns * windowShare));
  const xs: number[] = [];
  const ys: number[] = [];
  for (let row = 0; row < rows; row++) {
    const [top, bottom] = [Math.max(0, row - radius), Math.min(rows, row + radius + 1)];
    for (let column = 0; column < columns; column++) {
      const [left, right] = [Math.max(0, column - radius), Math.min(columns, column + radius + 1)];
      const total =
        (sums[bottom * (columns + 1) + right] ?? 0) -
        (sums[top * (columns + 1) + right] ?? 0) -
        (sums[bottom * (columns + 1) + left] ?? 0) +
        (sums[top * (columns + 1) + left] ?? 0);
      const paper = total / ((bottom - top) * (right - left));
      if ((data[row * step * width + column * step] ?? 255) < paper * 0.6) {
        xs.push(column);
        ys.push(row);
      }
    }
  }
  return { xs: Float32Array.from(xs), ys: Float32Array.from(ys), width: columns, height: rows };
}

/** The points turned by `degrees` (clockwise positive) about the origin: their rows, as text lines see them. */
export function rowsAt(xs: Float32Array, ys: Float32Array, degrees: number): Float32Array {
  const radians = (degrees * Math.PI) / 180;
  const sin = Math.sin(radians);
  const cos = Math.cos(radians);
  return ys.map((y, i) => y * cos - (xs[i] ?? 0) * sin);
}
