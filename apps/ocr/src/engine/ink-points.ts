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

/** The samples of the grid, row after row: the page itself at step 1, else every `step`th pixel of every `step`th row. */
function sampleGrid(
  data: Uint8Array,
  width: number,
  step: number,
  columns: number,
  rows: number,
): Uint8Array {
  // A plain Uint8Array view, not a Buffer: V8 then compiles the loops below for one kind of array.
  if (step === 1) return new Uint8Array(data.buffer, data.byteOffset, columns * rows);
  const grid = new Uint8Array(columns * rows);
  for (let row = 0; row < rows; row++) {
    const start = row * step * width;
    for (let column = 0; column < columns; column++) {
      grid[row * columns + column] = data[start + column * step] ?? 255;
    }
  }
  return grid;
}

// The loops over a whole row are small functions of their own: V8 compiles each tight, where one
// function holding them all, with closures over the row, took 1.3× (full resolution) to 2× (the
// 800-sample grid) as long on the fixture pages, for the same points.

function addRow(sums: Int32Array, grid: Uint8Array, at: number): void {
  for (let column = 0; column < sums.length; column++, at++) {
    sums[column] = (sums[column] ?? 0) + (grid[at] ?? 0);
  }
}

function subtractRow(sums: Int32Array, grid: Uint8Array, at: number): void {
  for (let column = 0; column < sums.length; column++, at++) {
    sums[column] = (sums[column] ?? 0) - (grid[at] ?? 0);
  }
}

/** One row enters the window's column sums (at `enters`) as another leaves (at `leaves`). */
function slideRow(sums: Int32Array, grid: Uint8Array, enters: number, leaves: number): void {
  for (let column = 0; column < sums.length; column++, enters++, leaves++) {
    sums[column] = (sums[column] ?? 0) + (grid[enters] ?? 0) - (grid[leaves] ?? 0);
  }
}

/** Where the first sample dark enough to be ink lies in `grid[from, to)`, or −1. */
function firstDark(grid: Uint8Array, from: number, to: number): number {
  for (let at = from; at < to; at++) if ((grid[at] ?? 255) < inkCeiling) return at;
  return -1;
}

function prefixSums(prefix: Int32Array, sums: Int32Array): void {
  for (let at = 0; at < sums.length; at++) prefix[at + 1] = (prefix[at] ?? 0) + (sums[at] ?? 0);
}

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
  const grid = sampleGrid(data, width, step, columns, rows);
  // A window's sum from running sums: per column over the window's rows (one row enters and one
  // leaves as the window moves down), then along the row. Whole numbers (at most 255 times the
  // window's samples), exact in 32 bits.
  const columnSums = new Int32Array(columns);
  for (let row = 0; row < Math.min(rows, radius); row++) addRow(columnSums, grid, row * columns);
  const prefix = new Int32Array(columns + 1);
  const points = new GrowingPoints();
  for (let row = 0; row < rows; row++) {
    const enters = row + radius;
    const leaves = row - radius - 1;
    if (enters < rows && leaves >= 0) slideRow(columnSums, grid, enters * columns, leaves * columns);
    else if (enters < rows) addRow(columnSums, grid, enters * columns);
    else if (leaves >= 0) subtractRow(columnSums, grid, leaves * columns);
    // The paper is at most white (255), so ink is darker than 0.6 × 255 = 153: only such a sample
    // needs its window's sum, and a row without one (most of a page) needs no sums along it.
    const start = row * columns;
    const first = firstDark(grid, start, start + columns);
    if (first < 0) continue;
    prefixSums(prefix, columnSums);
    const windowRows = Math.min(rows, row + radius + 1) - Math.max(0, row - radius);
    for (let column = first - start; column < columns; column++) {
      const sample = grid[start + column] ?? 255;
      if (sample >= inkCeiling) continue;
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
