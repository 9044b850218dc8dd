import { type PageViewport, Util } from './pdfjs.js';
import type { OcrBox, OcrWord } from '../ocr-result.js';

/** What pdf.js gives for each text run (`getTextContent().items`, marked-content entries left out). */
export interface TextRun {
  str: string;
  /** Advance of the run in page units. */
  width: number;
  transform: number[];
}

// Glyph extent around the baseline, in font sizes: pdf.js gives no per-font metrics here.
const ascent = 0.8;
const descent = 0.2;
/** Pieces of one word split across runs (kerning, a font change) sit closer than this, in font sizes. */
const joinGap = 0.12;

interface Piece extends OcrWord {
  /** Whether the piece touches its run's start or end, so a neighbouring run may continue the word. */
  opensRun: boolean;
  closesRun: boolean;
}

/** Axis-aligned box around the text between `from` and `to` (fractions of the run) on its baseline. */
function runBox(
  tx: number[],
  length: number,
  from: number,
  to: number,
  limit: { width: number; height: number },
): OcrBox {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = tx;
  const size = Math.hypot(c, d) || 1;
  const along = { x: a / (Math.hypot(a, b) || 1), y: b / (Math.hypot(a, b) || 1) };
  const up = { x: c / size, y: d / size };
  const xs: number[] = [];
  const ys: number[] = [];
  for (const t of [from, to]) {
    for (const h of [-descent, ascent]) {
      xs.push(e + along.x * length * t + up.x * size * h);
      ys.push(f + along.y * length * t + up.y * size * h);
    }
  }
  const clamp = (value: number, max: number) => Math.min(Math.max(Math.round(value), 0), max);
  return {
    x0: clamp(Math.min(...xs), limit.width),
    y0: clamp(Math.min(...ys), limit.height),
    x1: clamp(Math.max(...xs), limit.width),
    y1: clamp(Math.max(...ys), limit.height),
  };
}

/** The words of one run, each boxed by its share of the run's characters. */
function runWords(run: TextRun, viewport: PageViewport): Piece[] {
  const tx = Util.transform(viewport.transform, run.transform);
  const length = run.width * viewport.scale;
  const size = { width: Math.round(viewport.width), height: Math.round(viewport.height) };
  const pieces: Piece[] = [];
  for (const match of run.str.matchAll(/\S+/g)) {
    const start = match.index;
    const end = start + match[0].length;
    pieces.push({
      text: match[0],
      confidence: 1,
      bbox: runBox(tx, length, start / run.str.length, end / run.str.length, size),
      opensRun: start === 0,
      closesRun: end === run.str.length,
    });
  }
  return pieces;
}

/**
 * Words with boxes (pixels of `viewport`) from a PDF page's text runs, pieces of a word that the
 * content stream split across runs joined again. Order is left to the reading-order step.
 */
export function textLayerWords(runs: readonly TextRun[], viewport: PageViewport): OcrWord[] {
  const pieces = runs.flatMap((run) => runWords(run, viewport));
  const words: Piece[] = [];
  // A run that continues the word where the previous run stopped: same line, no gap between them.
  for (const piece of pieces) {
    const last = words.at(-1);
    const height = piece.bbox.y1 - piece.bbox.y0;
    if (
      last?.closesRun &&
      piece.opensRun &&
      Math.abs(piece.bbox.y0 - last.bbox.y0) < height / 3 &&
      Math.abs(piece.bbox.x0 - last.bbox.x1) < joinGap * height
    ) {
      last.text += piece.text;
      last.bbox = {
        x0: Math.min(last.bbox.x0, piece.bbox.x0),
        y0: Math.min(last.bbox.y0, piece.bbox.y0),
        x1: Math.max(last.bbox.x1, piece.bbox.x1),
        y1: Math.max(last.bbox.y1, piece.bbox.y1),
      };
      last.closesRun = piece.closesRun;
    } else words.push({ ...piece });
  }
  return words.map(({ text, confidence, bbox }) => ({ text, confidence, bbox }));
}
