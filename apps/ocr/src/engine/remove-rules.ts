import type { GreyImage } from './grey-image.js';
import { markInk, otsuLevel } from './ink-statistics.js';

/** Thickest line (px) taken for a rule: table borders and underlines are 1–6 px at 300 dpi, shadows and pictures far more. */
const maxRuleThickness = 8;
/** Shortest rule, as a share of the page's shorter side (never under 50 px): longer than any stroke of a letter. */
const minRuleShare = 1 / 20;
const minRuleLength = 50;

export interface Unruled {
  image: GreyImage;
  /** Ink pixels turned to paper because they lay on a long thin horizontal or vertical line. */
  removed: number;
}

/** Runs longer than this count as this long: lengths are only compared with a thickness and a rule's least length. */
const longestRun = 65_535;

/**
 * Lengths of the set runs each pixel lies on, along rows (`across`) or columns: a rule is a long
 * run one way and a short one the other. Two passes in memory order whichever the direction (the
 * count so far, then each run's total carried back from its last pixel): walking a column of an
 * A4 page touches a new cache line at every pixel.
 */
function runLengths(mask: Uint8Array, width: number, height: number, across: boolean): Uint16Array {
  const lengths = new Uint16Array(mask.length);
  const step = across ? 1 : width;
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (!mask[i]) continue;
      const first = across ? x === 0 : y === 0;
      lengths[i] = first ? 1 : Math.min((lengths[i - step] ?? 0) + 1, longestRun);
    }
  }
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1, i = y * width + x; x >= 0; x--, i--) {
      const last = across ? x === width - 1 : y === height - 1;
      if (mask[i] && !last && mask[i + step]) lengths[i] = lengths[i + step] ?? 0;
    }
  }
  return lengths;
}

/**
 * Whether some row or column holds a dark run `length` pixels long. A rule is such a run (its thin
 * pixels are dark), so a page without one has no rule to remove: most pages of prose, which then
 * skip the passes below (0.3 s of an A4 page at 300 dpi for one here).
 */
function hasDarkRun(dark: Uint8Array, width: number, length: number): boolean {
  // The row where the dark run down each column began. Only dark pixels are visited, run after
  // run in memory order: indexOf skips the paper between them in native code.
  const runStarts = new Uint32Array(width);
  for (let start = dark.indexOf(1); start >= 0; ) {
    const y = Math.floor(start / width);
    const end = (y + 1) * width;
    let at = start;
    for (; at < end && dark[at] === 1; at++) {
      const x = at - y * width;
      if (y === 0 || dark[at - width] !== 1) runStarts[x] = y;
      if (at - start + 1 >= length || y - (runStarts[x] ?? 0) + 1 >= length) return true;
    }
    start = dark.indexOf(1, at);
  }
  return false;
}

/**
 * Where two rules cross or meet at a corner (and where a letter's stroke crosses one) the ink is
 * thick both ways: within a dark run along a row, a stretch of at most maxRuleThickness pixels
 * between the run's start and a rule pixel, between two rule pixels, or between a rule pixel and
 * the run's end belongs to the rule.
 */
function bridgeAlongRows(dark: Uint8Array, rule: Uint8Array, width: number, height: number): void {
  for (let y = 0; y < height; y++) {
    const row = y * width;
    // The last rule pixel of the current dark run, or the pixel before the run; whether it has a rule pixel.
    let last = -1;
    let seen = false;
    for (let x = 0; x <= width; x++) {
      const isDark = x < width && dark[row + x] === 1;
      if (isDark && !rule[row + x]) continue;
      if ((isDark || seen) && x - last - 1 <= maxRuleThickness) rule.fill(1, row + last + 1, row + x);
      seen = isDark;
      last = x;
    }
  }
}

/**
 * The same along columns (seeing what the rows added), walked row by row in memory order: each
 * column keeps where its last rule pixel, or the pixel before its current dark run, was.
 */
function bridgeAlongColumns(dark: Uint8Array, rule: Uint8Array, width: number, height: number): void {
  const last = new Int32Array(width).fill(-1);
  const seen = new Uint8Array(width);
  for (let y = 0; y <= height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const isDark = y < height && dark[i] === 1;
      if (isDark && !rule[i]) continue;
      const from = last[x] ?? -1;
      if ((isDark || seen[x] === 1) && y - from - 1 <= maxRuleThickness) {
        for (let k = from + 1; k < y; k++) rule[k * width + x] = 1;
      }
      seen[x] = isDark ? 1 : 0;
      last[x] = y;
    }
  }
}

/**
 * Turns ruling lines (table borders, form underlines) into paper before recognition. Tesseract's
 * page segmentation takes a grid drawn around every cell as one picture-like component and reads
 * the text inside it as nothing; with the rules gone the cells are plain text in columns. A rule
 * is ink (under Otsu's level) on a horizontal or vertical run at least a twentieth of the page
 * long whose pixels are at most 8 px thick the other way: letters crossing a rule keep their
 * strokes but for the rule's own few pixels, and a shadow or a picture is never thin.
 */
export function removeRules(page: GreyImage): Unruled {
  const { data, width, height } = page;
  const level = otsuLevel(page);
  const dark = new Uint8Array(data.length);
  markInk(dark, 0, data, 0, data.length, level);
  const minLength = Math.max(minRuleLength, Math.round(Math.min(width, height) * minRuleShare));
  if (!hasDarkRun(dark, width, minLength)) return { image: page, removed: 0 };
  const rows = runLengths(dark, width, height, true);
  const columns = runLengths(dark, width, height, false);
  const rule = new Uint8Array(data.length);
  // Thin ink: pixels on a short run across the line's direction; a rule is a long run of thin ink.
  const thin = new Uint8Array(data.length);
  const mark = (across: boolean, thickness: Uint16Array) => {
    for (let i = 0; i < data.length; i++) {
      thin[i] = dark[i] && (thickness[i] ?? 0) <= maxRuleThickness ? 1 : 0;
    }
    const lengths = runLengths(thin, width, height, across);
    for (let i = 0; i < data.length; i++) if ((lengths[i] ?? 0) >= minLength) rule[i] = 1;
  };
  mark(true, columns);
  mark(false, rows);
  bridgeAlongRows(dark, rule, width, height);
  bridgeAlongColumns(dark, rule, width, height);
  let removed = 0;
  for (let i = 0; i < rule.length; i++) removed += rule[i] ?? 0;
  if (removed === 0) return { image: page, removed };
  const out = Buffer.from(data);
  for (let i = 0; i < out.length; i++) if (rule[i]) out[i] = 255;
  return { image: { data: out, width, height }, removed };
}
