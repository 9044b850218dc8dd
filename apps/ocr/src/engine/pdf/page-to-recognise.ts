import { type PageOperators, pageOperators } from './page-operators.js';
import { pagePaint } from './page-paint.js';
import type { TextRun } from './pdf-text-layer.js';
import type { PDFPageProxy } from './pdfjs.js';
import { textLayerChars, textLayerCover } from './text-layer-cover.js';

/** Fewer characters than this: no text layer to speak of (a page number, a stray mark). */
const textLayerMinChars = 16;

/**
 * A text layer covering less than this share of the page, on a page mostly under images, is a
 * stamp on a scan (a "Scanned with CamScanner" footer, a fax header line, a Bates number), not the
 * page's text. Measured with Helvetica on the test scans: such lines cover 0.1–0.4 % of an A4 scan
 * and up to 2.4 % of the 441 × 176 pt invoice strip; a searchable scan's full OCR layer 17–19 %, a
 * digital A4 page of prose 23 %. A sparse searchable scan (a few lines) falls under it and is
 * recognised again: the same text, read from the same pixels.
 */
const stampMaxCover = 0.05;

/** Images over at least this share of the page: a scan (a digital page's photo covers less). */
const scanMinImageCover = 0.5;

/**
 * Whether the page's text layer is too thin to be its text (almost none, or a stamp's worth): the
 * pages that pageToRecognise looks at further, and whose pixels are what there is to read.
 */
export function hasThinTextLayer(page: PDFPageProxy, runs: readonly TextRun[]): boolean {
  const viewport = page.getViewport({ scale: 1 });
  return (
    textLayerChars(runs) < textLayerMinChars ||
    textLayerCover(runs, viewport.width, viewport.height) < stampMaxCover
  );
}

/**
 * The operators of a page to recognise from its pixels (renderPdfPage draws from them), or null for
 * a page to read from its text layer. A page is recognised when its text layer is
 * - (almost) empty and the page paints anything at all: a scan, a fax, text drawn as outlines,
 *   a drawing (a truly blank page stays an empty text page), or
 * - a stamp on a scan: it covers under 5 % of the page while images cover half of it or more.
 * The render draws the visible text too, so a stamp is recognised with the rest; a searchable
 * scan (a full invisible layer) and a digital page, photos and all, keep their text layer.
 * Operators are only built where the text layer is thin: a text page costs no more than before.
 */
export async function pageToRecognise(
  page: PDFPageProxy,
  runs: readonly TextRun[],
): Promise<PageOperators | null> {
  const viewport = page.getViewport({ scale: 1 });
  const chars = textLayerChars(runs);
  if (!hasThinTextLayer(page, runs)) return null;
  const operators = await pageOperators(page);
  const { imageCover, paintsBesidesText } = pagePaint(operators, viewport);
  const recognise = chars < textLayerMinChars ? paintsBesidesText : imageCover >= scanMinImageCover;
  return recognise ? operators : null;
}
