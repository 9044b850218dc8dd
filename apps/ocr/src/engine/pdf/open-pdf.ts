import { createRequire } from 'node:module';
import path from 'node:path';
import { GantryError } from '@gantry/contracts';
import { getDocument } from './pdfjs.js';
import type { DocumentPage, DocumentPages } from '../document-pages.js';
import { pageLayout } from '../page-layout.js';
import { wordRows } from '../reading-order.js';
import { largestDeclaredImage } from './largest-declared-image.js';
import { pageToRecognise } from './page-to-recognise.js';
import { renderPdfPage } from './render-pdf-page.js';
import { type TextRun, textLayerWords } from './pdf-text-layer.js';

export interface PdfOptions {
  /** Most pixels of a rendered page. */
  maxPixels: number;
  /** Most pages a file may have at all, whatever range a job reads. */
  maxPages: number;
  /** Resolution for pages without a text layer (capped by maxPixels), and of text-layer boxes. */
  dpi: number;
}

// pdf.js reads its fonts, character maps and wasm decoders (JPEG 2000, JBIG2: common in scans)
// from its own package with fs: nothing is fetched.
const pdfjsDir = `${path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'))}/`;

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function openFailure(error: unknown): GantryError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException') {
    return new GantryError(
      'PDF_ENCRYPTED',
      'The PDF is protected by a password; send it without the password',
      {
        cause: error,
      },
    );
  }
  return new GantryError('MEDIA_CORRUPT', `The PDF could not be read (${reason(error)})`, {
    cause: error,
    details: { format: 'pdf' },
  });
}

const pageFailure = (number: number, error: unknown): GantryError =>
  error instanceof GantryError
    ? error
    : new GantryError('MEDIA_CORRUPT', `Page ${number} of the PDF could not be read (${reason(error)})`, {
        cause: error,
        details: { format: 'pdf', page: number },
      });

/**
 * Refuses a PDF that declares an image over the pixel limit, as an image upload of those pixels
 * is refused. pdf.js leaves such an image out (`maxImageSize`, which keeps it from decoding it:
 * it cannot decode at a smaller size) with no more than a console warning, and the scan it was
 * came back as an empty page. Which page draws it is not known here: the whole PDF is refused.
 */
function refuseOversizedImage(bytes: Buffer, maxPixels: number): void {
  const image = largestDeclaredImage(bytes);
  if (!image || image.width * image.height <= maxPixels) return;
  const pixels = image.width * image.height;
  throw new GantryError(
    'MEDIA_TOO_LARGE',
    `The PDF holds a ${image.width}×${image.height} image (${pixels} pixels), over the limit of ${maxPixels} pixels`,
    { details: { format: 'pdf', width: image.width, height: image.height, pixels, max_pixels: maxPixels } },
  );
}

/**
 * Opens a PDF with pdf.js. A page with a real text layer is read from its glyph positions (exact,
 * no recognition); a scan, a page drawn without text and a scan with a stamp of text on it are
 * rendered for recognition (pageToRecognise). Scripts never
 * run (pdf.js only runs them in a browser sandbox, and eval is off); an owner password alone
 * (print or copy restrictions) does not stop reading, a user password is PDF_ENCRYPTED.
 */
export async function openPdf(bytes: Buffer, options: PdfOptions): Promise<DocumentPages> {
  refuseOversizedImage(bytes, options.maxPixels);
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  const task = getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    enableXfa: false,
    verbosity: 0,
    maxImageSize: options.maxPixels,
    standardFontDataUrl: `${pdfjsDir}standard_fonts/`,
    cMapUrl: `${pdfjsDir}cmaps/`,
    cMapPacked: true,
    wasmUrl: `${pdfjsDir}wasm/`,
  });
  const pdf = await task.promise.catch(async (error: unknown) => {
    await task.destroy();
    throw openFailure(error);
  });
  // pdf.js opens a page tree with no pages (`/Count 0`) as a document of 0 pages.
  if (pdf.numPages === 0) {
    await task.destroy();
    throw new GantryError('MEDIA_CORRUPT', 'The PDF has no pages', { details: { format: 'pdf' } });
  }
  if (pdf.numPages > options.maxPages) {
    await task.destroy();
    throw new GantryError(
      'MEDIA_TOO_LARGE',
      `The PDF has ${pdf.numPages} pages, over the limit of ${options.maxPages}`,
      {
        details: { pages: pdf.numPages, max_pages: options.maxPages },
      },
    );
  }

  async function read(number: number): Promise<DocumentPage> {
    const page = await pdf.getPage(number);
    try {
      const runs: TextRun[] = (await page.getTextContent()).items.flatMap((item) =>
        'str' in item ? [item] : [],
      );
      const operators = await pageToRecognise(page, runs);
      if (operators) {
        return { kind: 'pixels', ...(await renderPdfPage(page, options.dpi, options.maxPixels, operators)) };
      }
      const viewport = page.getViewport({ scale: options.dpi / 72 });
      const layout = pageLayout(wordRows(textLayerWords(runs, viewport)));
      return {
        kind: 'text',
        page: {
          number,
          source: 'text_layer',
          width: Math.max(1, Math.round(viewport.width)),
          height: Math.max(1, Math.round(viewport.height)),
          dpi: options.dpi,
          rotation: 0,
          ...layout,
          confidence: layout.words.length === 0 ? 0 : 1,
        },
      };
    } finally {
      page.cleanup();
    }
  }

  return {
    count: pdf.numPages,
    read: (number) => read(number).catch((error: unknown) => Promise.reject(pageFailure(number, error))),
    close: () => task.destroy(),
  };
}
