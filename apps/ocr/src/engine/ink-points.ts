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
/** A sample is ink where it is darker than this share of its window's mean brightness. */
const inkShare = 0.6;
/** No sample this bright is ink: the window's mean is at most white. */
const inkCeiling = Math.ceil(255 * inkShare);

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
  const radius = Math.max(4, Math.round(columns * windowShare));
  const sampleRow = (row: number, into: Uint8Array): Uint8Array => {
    const start = row * step * width;
    if (step === 1) return data.subarray(start, start + columns);
    for (let column = 0; column < columns; column++) into[column] = data[start + column * step] ?? 255;
    return into;
  };
  // A window's sum from running sums: per column over the window's rows (one sample row enters
  // and one leaves as the window moves down), then along the row. Whole numbers (at most 255 times
  // the window's samples), exact in 32 bits.
  const columnSums = new Int32Array(columns);
  const [entering, leaving] = [new Uint8Array(columns), new Uint8Array(columns)];
  const nothing = new Uint8Array(columns);
  const slide = (enters: number, leaves: number) => {
    const added = enters < rows ? sampleRow(enters, entering) : nothing;
    const taken = leaves >= 0 ? sampleRow(leaves, leaving) : nothing;
    for (let column = 0; column < columns; column++) {
      columnSums[column] = (columnSums[column] ?? 0) + (added[column] ?? 0) - (taken[column] ?? 0);
    }
  };
  for (let row = 0; row < Math.min(rows, radius); row++) slide(row, -1);
  const prefix = new Int32Array(columns + 1);
  const rowSamples = new Uint8Array(columns);
  const points = new GrowingPoints();
  for (let row = 0; row < rows; row++) {
    slide(row + radius, row - radius - 1);
    const samples = sampleRow(row, rowSamples);
    const windowRows = Math.min(rows, row + radius + 1) - Math.max(0, row - radius);
    // The paper is at most white (255), so ink is darker than 0.6 × 255 = 153: only such a sample
    // needs its window's sum, and a row without one (most of a page) needs no sums along it.
    let summed = false;
    for (let column = 0; column < columns; column++) {
      const sample = samples[column] ?? 255;
      if (sample >= inkCeiling) continue;
      if (!summed) {
        for (let at = 0; at < columns; at++) prefix[at + 1] = (prefix[at] ?? 0) + (columnSums[at] ?? 0);
        summed = true;
      }
      const left = Math.max(0, column - radius);
      const right = Math.min(columns, column + radius + 1);
      const paper = ((prefix[right] ?? 0) - (prefix[left] ?? 0)) / (windowRows * (right - left));
      if (sample < paper * inkShare) points.push(column, row);
    }
  }
  return { ...points.done(), width: columns, height: rows };
}

/** Coordinates collected into typed arrays that double as they fill (a page has up to millions of ink samples). */
class GrowingPoints {
  #xs = new Float32Array(4096);
  #ys = new Float32Array(4096);
  #count = 0;

  push(x: number, y: number): void {
    if (this.#count === this.#xs.length) {
      const [xs, ys] = [new Float32Array(this.#count * 2), new Float32Array(this.#count * 2)];
      xs.set(this.#xs);
      ys.set(this.#ys);
      [this.#xs, this.#ys] = [xs, ys];
    }
    this.#xs[this.#count] = x;
    this.#ys[this.#count] = y;
    this.#count++;
  }

  done(): { xs: Float32Array; ys: Float32Array } {
    return { xs: this.#xs.slice(0, this.#count), ys: this.#ys.slice(0, this.#count) };
  }
}

/** The points turned by `degrees` (clockwise positive) about the origin: their rows, as text lines see them. */
export function rowsAt(xs: Float32Array, ys: Float32Array, degrees: number): Float32Array {
  const radians = (degrees * Math.PI) / 180;
  const sin = Math.sin(radians);
  const cos = Math.cos(radians);
  return ys.map((y, i) => y * cos - (xs[i] ?? 0) * sin);
}
