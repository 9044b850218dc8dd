import type { GreyImage } from './grey-image.js';
import { otsuLevel } from './ink-statistics.js';

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

/**
 * Each run of set pixels along rows (`across`) or columns: `visit(start, end, at)` for the run's
 * pixels `start`..`end - 1`, where `at(i)` is the index of the line's i-th pixel.
 */
function forEachRun(
  mask: Uint8Array,
  width: number,
  height: number,
  across: boolean,
  visit: (start: number, end: number, at: (i: number) => number) => void,
): void {
  const [lines, along] = across ? [height, width] : [width, height];
  for (let line = 0; line < lines; line++) {
    const at = across ? (i: number) => line * width + i : (i: number) => i * width + line;
    let start = 0;
    for (let i = 0; i <= along; i++) {
      if (i < along && mask[at(i)]) continue;
      if (i > start) visit(start, i, at);
      start = i + 1;
    }
  }
}

/**
 * Lengths of the dark runs each pixel lies on, along rows (`across`) or columns: a rule is a long
 * run one way and a short one the other.
 */
function runLengths(dark: Uint8Array, width: number, height: number, across: boolean): Uint16Array {
  const lengths = new Uint16Array(dark.length);
  forEachRun(dark, width, height, across, (start, end, at) => {
    for (let j = start; j < end; j++) lengths[at(j)] = Math.min(end - start, 65_535);
  });
  return lengths;
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
  for (let i = 0; i < data.length; i++) dark[i] = (data[i] ?? 255) <= level ? 1 : 0;
  const minLength = Math.max(minRuleLength, Math.round(Math.min(width, height) * minRuleShare));
  const rows = runLengths(dark, width, height, true);
  const columns = runLengths(dark, width, height, false);
  const rule = new Uint8Array(data.length);
  // Thin ink: pixels on a short run across the line's direction; a rule is a long run of thin ink.
  const mark = (across: boolean, thickness: Uint16Array) => {
    const thin = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) {
      thin[i] = dark[i] && (thickness[i] ?? 0) <= maxRuleThickness ? 1 : 0;
    }
    const lengths = runLengths(thin, width, height, across);
    for (let i = 0; i < data.length; i++) if ((lengths[i] ?? 0) >= minLength) rule[i] = 1;
  };
  mark(true, columns);
  mark(false, rows);
  // Where two rules cross or meet at a corner (and where a letter's stroke crosses one) the ink
  // is thick both ways: a short stretch of ink next to rule pixels on the same row or column
  // belongs to the rule.
  const bridge = (across: boolean) =>
    forEachRun(dark, width, height, across, (start, end, at) => {
      // The dark run start..end-1: fill every stretch of at most maxRuleThickness next to a rule pixel.
      let last = start - 1;
      let seen = false;
      for (let j = start; j <= end; j++) {
        if (j < end && !rule[at(j)]) continue;
        const stretch = j - last - 1;
        if ((j < end || seen) && stretch <= maxRuleThickness) {
          for (let k = last + 1; k < j; k++) rule[at(k)] = 1;
        }
        if (j < end) seen = true;
        last = j;
      }
    });
  bridge(true);
  bridge(false);
  let removed = 0;
  for (const value of rule) removed += value;
  if (removed === 0) return { image: page, removed };
  const out = Buffer.from(data);
  for (let i = 0; i < out.length; i++) if (rule[i]) out[i] = 255;
  return { image: { data: out, width, height }, removed };
}
