// The first import, so that it keeps the builtins before pdf.js's bundles replace them.
import { restoreBuiltins } from './builtins-before-pdfjs.js';
import { getDocument, OPS, Util } from 'pdfjs-dist/legacy/build/pdf.mjs';
// Loaded here rather than by getDocument's own import: it sets `globalThis.pdfjsWorker`, which
// pdf.js then runs on this thread as Node needs, and its bundle replaces the builtins too.
import 'pdfjs-dist/legacy/build/pdf.worker.mjs';

restoreBuiltins();

/** pdf.js, for every module of the engine that uses it: loaded through here, the process keeps Node's builtins. */
export { getDocument, OPS, Util };
export type {
  PageViewport,
  PDFDocumentProxy,
  PDFPageProxy,
  RenderTask,
} from 'pdfjs-dist/legacy/build/pdf.mjs';
