import type { TextRun } from './pdf-text-layer.js';

/** Characters of a text layer, white space left out. */
export const textLayerChars = (runs: readonly TextRun[]): number =>
  runs.reduce((sum, run) => sum + run.str.replace(/\s/g, '').length, 0);

/**
 * Share of the page (0..1) that a text layer's runs cover: each run's advance times its font size,
 * summed over the `width × height` page (PDF points), capped at 1. Invisible text (a searchable
 * scan's OCR layer) counts: it is the page's text all the same.
 */
export function textLayerCover(runs: readonly TextRun[], width: number, height: number): number {
  const area = runs.reduce((sum, run) => {
    if (run.str.trim() === '') return sum;
    const [, , c = 0, d = 0] = run.transform;
    return sum + Math.abs(run.width) * Math.hypot(c, d);
  }, 0);
  return Math.min(1, area / Math.max(1, width * height));
}
