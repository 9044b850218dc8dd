import { createCanvas } from '@napi-rs/canvas';
import type { PDFPageProxy, RenderTask } from './pdfjs.js';

/** A render's operators and their arguments, as pdf.js's operator list holds them. */
export interface PageOperators {
  readonly fnArray: readonly number[];
  readonly argsArray: readonly unknown[];
}

/**
 * The operator list a finished render drew from. pdf.js has no public way to it: this reads the
 * render task's internal one, and fails loudly if an upgrade moves it (the PDF tests catch that).
 */
function renderedOperators(task: RenderTask): PageOperators {
  const internal: unknown = task._internalRenderTask;
  const list: unknown =
    typeof internal === 'object' && internal !== null && 'operatorList' in internal
      ? internal.operatorList
      : undefined;
  const fnArray: unknown =
    typeof list === 'object' && list !== null && 'fnArray' in list ? list.fnArray : undefined;
  const argsArray: unknown =
    typeof list === 'object' && list !== null && 'argsArray' in list ? list.argsArray : undefined;
  if (
    !Array.isArray(fnArray) ||
    !Array.isArray(argsArray) ||
    !fnArray.every((op) => typeof op === 'number')
  ) {
    throw new Error("pdf.js's render task no longer holds its operator list (see page-operators.ts)");
  }
  return { fnArray, argsArray };
}

/**
 * The operators rendering the page runs, with pdf.js's optimizer applied (it merges runs of small
 * images into group and repeat forms). pdf.js keeps a page's operator list per intent, annotation
 * mode and caller, and `getOperatorList()` is a caller of its own: asking it would build the list,
 * and decode every image, a second time beside the render's. So this asks a render that draws
 * nothing (a 1×1 canvas, every operator filtered out) with `renderPdfPage`'s intent and annotation
 * mode (the defaults): that render then draws from the list built here, its images already
 * decoded, as long as the page is not cleaned up in between.
 */
export async function pageOperators(page: PDFPageProxy): Promise<PageOperators> {
  const canvas = createCanvas(1, 1);
  const task = page.render({
    canvas: canvas as never,
    canvasContext: canvas.getContext('2d') as never,
    viewport: page.getViewport({ scale: 1 }),
    operationsFilter: () => false,
  });
  await task.promise;
  return renderedOperators(task);
}
