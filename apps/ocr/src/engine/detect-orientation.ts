import { fitLines, minInk } from './detect-skew.js';
import type { GreyImage } from './grey-image.js';
import { inkPoints, rowsAt } from './ink-points.js';

/** Degrees clockwise a page must be turned to stand upright. */
export type QuarterTurn = 0 | 90 | 180 | 270;

interface Orientation {
  turn: QuarterTurn;
  /**
   * What detectSkew would answer for the page turned upright, where the search for the line
   * direction already found it (a page left as it is: the same samples, the same search); else null.
   */
  skew: number | null;
}

/** Samples across for the line direction: the same coarse grid as the skew search. */
const coarseWidth = 800;
/** Samples across for the ascender test: about full resolution, so an x-height spans several rows. */
const fineWidth = 2500;
/**
 * Lines must fall into columns this much more sharply than into rows for a page to count as on its
 * side: a table's columns also make a sharp column profile, never as sharp as its text lines.
 */
const sidewaysMargin = 1.5;
/**
 * Where neither direction is that much sharper (a narrow receipt in a monospaced font, whose
 * characters stand in columns as sharp as its lines), the gaps decide: across text lines the
 * typical blank stretch is the space between two lines (34 px on an 80 mm receipt), along them
 * the space between two characters (4–5 px). Sideways when the column profile's typical gap is
 * this many times the row profile's.
 */
const gapRatio = 2;

/**
 * How many ink points fall at each position, rounded, from the lowest one on: `spare` 1 gives exactly
 * the positions, 2 one more past the last for a caller that looks one ahead.
 */
function positionCounts(rows: Float32Array, spare: number): Float64Array {
  let min = Infinity;
  let max = -Infinity;
  for (const row of rows) {
    min = Math.min(min, row);
    max = Math.max(max, row);
  }
  const profile = new Float64Array(Math.ceil(max - min) + spare);
  for (const row of rows) {
    const bin = Math.round(row - min);
    profile[bin] = (profile[bin] ?? 0) + 1;
  }
  return profile;
}

/** The median length of the blank stretches (rows with almost no ink) between a profile's first and last ink. */
function typicalGap(rows: Float32Array): number {
  const profile = positionCounts(rows, 1);
  const floor = 0.02 * Math.max(...profile);
  const gaps: number[] = [];
  let run = 0;
  for (const count of profile) {
    if (count <= floor) run++;
    else if (run > 0) {
      gaps.push(run);
      run = 0;
    }
  }
  gaps.sort((x, y) => x - y);
  return gaps[Math.floor(gaps.length / 2)] ?? 0;
}

/**
 * (ink above the x-height band − ink below) / both, over every line, under which a page counts as
 * upside down: Latin text has more ascenders and capitals than descenders, so an upright page scores
 * clearly above 0 and a turned one as clearly below. Between the two, the page is left as it is.
 */
const upsideDownScore = -0.1;

/** Ink above and below the x-height band of each text line found in the row profile. */
function ascenderScore(rows: Float32Array): number {
  const profile = positionCounts(rows, 2);
  const floor = Math.max(1, 0.05 * Math.max(...profile));
  let above = 0;
  let below = 0;
  for (let start = 0; start < profile.length; ) {
    if ((profile[start] ?? 0) <= floor) {
      start++;
      continue;
    }
    let end = start;
    while (end < profile.length && (profile[end] ?? 0) > floor) end++;
    const line = profile.subarray(start, end);
    // Runs a few rows high are speckle or rules, not text lines.
    if (line.length >= 6) {
      const core = 0.5 * Math.max(...line);
      const top = line.findIndex((count) => count >= core);
      const bottom = line.length - 1 - [...line].reverse().findIndex((count) => count >= core);
      line.forEach((count, i) => {
        if (i < top) above += count;
        else if (i > bottom) below += count;
      });
    }
    start = end;
  }
  return above + below === 0 ? 0 : (above - below) / (above + below);
}

/**
 * Which quarter turn makes the text of a page upright. The direction of the lines comes from the
 * projection profile (ink falls into sharp rows along the lines, whatever their skew; where both
 * directions are about as sharp, with longer gaps between the lines); which way is
 * up from the ascender test on the lines made horizontal. 0 for a page with too little ink.
 */
export function detectOrientation(image: GreyImage): Orientation {
  const coarse = inkPoints(image, coarseWidth);
  if (coarse.xs.length < minInk) return { turn: 0, skew: 0 };
  const extent = Math.hypot(coarse.width, coarse.height);
  const across = fitLines(coarse.xs, coarse.ys, extent);
  // Swapping x and y mirrors the page about its diagonal: vertical lines become horizontal.
  const down = fitLines(coarse.ys, coarse.xs, extent);
  const sideways =
    down.sharpness > across.sharpness * sidewaysMargin ||
    (down.sharpness * sidewaysMargin > across.sharpness &&
      typicalGap(rowsAt(coarse.ys, coarse.xs, down.angle)) >
        typicalGap(rowsAt(coarse.xs, coarse.ys, across.angle)) * gapRatio);

  const fine = inkPoints(image, fineWidth);
  // Sideways: the points as the page turned a quarter clockwise shows them (x' = height − y, y' = x),
  // a mirror of the swapped page, so the skew found there changes sign.
  const rows = sideways
    ? rowsAt(
        fine.ys.map((y) => fine.height - y),
        fine.xs,
        -down.angle,
      )
    : rowsAt(fine.xs, fine.ys, across.angle);
  const upsideDown = ascenderScore(rows) < upsideDownScore;
  const turn = ((sideways ? 90 : 0) + (upsideDown ? 180 : 0)) as QuarterTurn;
  // The coarse grid and search are detectSkew's own, so on a page left as it is its answer is known.
  return { turn, skew: turn === 0 ? across.angle : null };
}
