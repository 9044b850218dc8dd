import type { PageOperators } from './page-operators.js';
import { OPS, type PageViewport, Util } from './pdfjs.js';

type Matrix = [number, number, number, number, number, number];

/** What a page's operators paint, measured without drawing a pixel. */
export interface PagePaint {
  /**
   * Share of the page (0..1) under images and image masks (what scans and faxes are): each one's
   * box, clipped to the page, summed and capped at 1 (overlaps count twice; a scan has none).
   */
  imageCover: number;
  /** Whether anything at all is painted besides text: an image, a filled or stroked path, a shading. */
  paintsBesidesText: boolean;
}

const numbers = (value: unknown): number[] =>
  ArrayBuffer.isView(value) || Array.isArray(value)
    ? Array.from(value as ArrayLike<unknown>).filter((n): n is number => typeof n === 'number')
    : [];

/** Six numbers, in an array or a typed array (pdf.js gives a form's matrix as a Float32Array). */
function asMatrix(value: unknown): Matrix | null {
  const matrix = numbers(value);
  return matrix.length === 6 ? (matrix as Matrix) : null;
}

/** The `transform` of each entry of a group operator's list (inline images, image masks). */
const entryTransforms = (list: unknown): Matrix[] =>
  Array.isArray(list)
    ? list.flatMap((entry: unknown) => {
        const matrix =
          typeof entry === 'object' && entry !== null && 'transform' in entry
            ? asMatrix(entry.transform)
            : null;
        return matrix ? [matrix] : [];
      })
    : [];

/** One transform per position of a repeat operator: the same image drawn again and again. */
function repeated(scale: [number, number, number, number], positions: unknown): Matrix[] {
  const at = numbers(positions);
  const placed: Matrix[] = [];
  for (let i = 0; i + 1 < at.length; i += 2) placed.push([...scale, at[i] ?? 0, at[i + 1] ?? 0]);
  return placed;
}

/**
 * Where each image an image operator paints lands, relative to the current transform: every image
 * fills the unit square of its matrix. pdf.js's optimizer merges runs of small images into the
 * group and repeat forms, which carry one matrix per image; null for any other operator.
 */
function imagePlacements(op: number, args: unknown[]): Matrix[] | null {
  const identity: Matrix = [1, 0, 0, 1, 0, 0];
  switch (op) {
    case OPS.paintImageXObject:
    case OPS.paintInlineImageXObject:
    case OPS.paintImageMaskXObject:
      return [identity];
    case OPS.paintInlineImageXObjectGroup:
      return entryTransforms(args[1]);
    case OPS.paintImageMaskXObjectGroup:
      return entryTransforms(args[0]);
    case OPS.paintImageXObjectRepeat: {
      const [, scaleX = 0, scaleY = 0] = numbers(args.slice(0, 3));
      return repeated([scaleX, 0, 0, scaleY], args[3]);
    }
    case OPS.paintImageMaskXObjectRepeat: {
      const [scaleX = 0, skewX = 0, skewY = 0, scaleY = 0] = numbers(args.slice(1, 5));
      return repeated([scaleX, skewX, skewY, scaleY], args[5]);
    }
    default:
      return null;
  }
}

const pathPaints = new Set<number>([
  OPS.stroke,
  OPS.closeStroke,
  OPS.fill,
  OPS.eoFill,
  OPS.fillStroke,
  OPS.eoFillStroke,
  OPS.closeFillStroke,
  OPS.closeEOFillStroke,
  OPS.rawFillPath,
  OPS.shadingFill,
  // A 1×1 opaque image mask: pdf.js draws it as a filled square.
  OPS.paintSolidColorImageMask,
]);

/** `ctm` then `by`; `ctm` as it is where `by` is not a matrix. */
const multiply = (ctm: Matrix, by: Matrix | null): Matrix => (by ? (Util.transform(ctm, by) as Matrix) : ctm);

/** Area of the unit square under `m`'s bounding box, clipped to the `width × height` page. */
function clippedArea([a, b, c, d, e, f]: Matrix, width: number, height: number): number {
  const xs = [e, e + a, e + c, e + a + c];
  const ys = [f, f + b, f + d, f + b + d];
  const span = (values: number[], max: number) =>
    Math.max(0, Math.min(Math.max(...values), max) - Math.max(Math.min(...values), 0));
  return span(xs, width) * span(ys, height);
}

/**
 * Measures what the page paints from a render's operators (pageOperators), following the
 * transforms as the canvas does: `save`/`restore`, `transform`, form XObjects. Images inside
 * annotation appearances are not measured (their placement needs the annotation's rectangle): a
 * scan is page content.
 */
export function pagePaint(operators: PageOperators, viewport: PageViewport): PagePaint {
  const stack: Matrix[] = [];
  let ctm = viewport.transform as Matrix;
  let inAnnotation = 0;
  let imageArea = 0;
  let paintsBesidesText = false;
  for (const [index, op] of operators.fnArray.entries()) {
    const raw: unknown = operators.argsArray[index];
    const args: unknown[] = Array.isArray(raw) ? raw : [];
    if (op === OPS.save) stack.push(ctm);
    else if (op === OPS.restore || op === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
    else if (op === OPS.transform) ctm = multiply(ctm, asMatrix(args));
    else if (op === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      ctm = multiply(ctm, asMatrix(args[0]));
    } else if (op === OPS.beginAnnotation) inAnnotation++;
    else if (op === OPS.endAnnotation) inAnnotation--;
    else if (op === OPS.constructPath) {
      // pdf.js 5 folds the painting operator into the path: endPath only clips.
      if (args[0] !== OPS.endPath) paintsBesidesText = true;
    } else if (pathPaints.has(op)) paintsBesidesText = true;
    else {
      const placements = imagePlacements(op, args);
      if (!placements) continue;
      paintsBesidesText = true;
      if (inAnnotation > 0) continue;
      for (const placement of placements) {
        imageArea += clippedArea(multiply(ctm, placement), viewport.width, viewport.height);
      }
    }
  }
  const pageArea = Math.max(1, viewport.width * viewport.height);
  return { imageCover: Math.min(1, imageArea / pageArea), paintsBesidesText };
}
