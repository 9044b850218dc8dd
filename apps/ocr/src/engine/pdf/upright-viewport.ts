import type { TextRun } from './pdf-text-layer.js';
import { type PageViewport, type PDFPageProxy, Util } from './pdfjs.js';

/** Turns beyond the page's own `/Rotate`, clockwise in degrees, that a page's display may take. */
const turns = [0, 90, 180, 270] as const;
/** A run reads left to right when its baseline is within this many degrees of the display's x axis. */
const uprightDegrees = 10;

/** The share of the page's characters (white space aside) whose runs read left to right in `viewport`. */
function uprightShare(runs: readonly TextRun[], viewport: PageViewport): number {
  let upright = 0;
  let total = 0;
  for (const run of runs) {
    const chars = run.str.replace(/\s/g, '').length;
    if (chars === 0) continue;
    const [a = 0, b = 0] = Util.transform(viewport.transform, run.transform);
    total += chars;
    if (Math.abs((Math.atan2(b, a) * 180) / Math.PI) <= uprightDegrees) upright += chars;
  }
  return total === 0 ? 1 : upright / total;
}

/**
 * The page's viewport turned so that most of its text reads left to right, and that turn (clockwise,
 * degrees, beyond the page's own `/Rotate`). Reading order is rebuilt from horizontal lines: a page
 * whose text stands sideways on its display (`/Rotate 90` over ordinary text, a landscape table
 * drawn turned on a portrait page) would otherwise come out as words in columns. A page mostly
 * upright already keeps its display, turned by nothing.
 */
export function uprightViewport(
  page: PDFPageProxy,
  runs: readonly TextRun[],
  scale: number,
): { viewport: PageViewport; turn: number } {
  const turned = (turn: number) => page.getViewport({ scale, rotation: (page.rotate + turn) % 360 });
  const own = turned(0);
  if (uprightShare(runs, own) >= 0.5) return { viewport: own, turn: 0 };
  let best = { turn: 0, viewport: own, share: -1 };
  for (const turn of turns) {
    const viewport = turned(turn);
    const share = uprightShare(runs, viewport);
    if (share > best.share) best = { turn, viewport, share };
  }
  return { viewport: best.viewport, turn: best.turn };
}
