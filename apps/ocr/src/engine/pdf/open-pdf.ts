import { createRequire } from 'node:module';
import path from 'node:path';
import { GantryError } from '@gantry/contracts';
import { getDocument } from './pdfjs.js';
import type { DocumentPage, DocumentPages } from '../document-pages.js';
import { pageLayout } from '../page-layout.js';
import { wordRows } from '../reading-order.js';
import { largestDeclaredImage } from './largest-declared-image.js';
import { hasThinTextLayer, pageToRecognise } from './page-to-recognise.js';
import { renderPdfPage } from './render-pdf-page.js';
import { type TextRun, textLayerWords } from './pdf-text-layer.js';
import { uprightViewport } from './upright-viewport.js';

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
 * The image a PDF declares over the pixel limit, if any. pdf.js leaves such an image out
 * (`maxImageSize`, which keeps it from decoding it: it cannot decode at a smaller size) with no
 * more than a console warning, so the scan it was would come back as an empty page.
 */
function oversizedImage(bytes: Buffer, maxPixels: number): { width: number; height: number } | null {
  const image = largestDeclaredImage(bytes);
  return image && image.width * image.height > maxPixels ? image : null;
}

/**
 * A page with a thin text layer in a PDF that declares an image over the limit: the image is most
 * likely this page's scan, refused as an image upload of those pixels is. Which page draws the image
 * is not known from the bytes, so a page whose text layer is its text (a digital page beside a huge
 * photo) is read as ever.
 */
function oversizedScan(number: number, image: { width: number; height: number }, maxPixels: number) {
  const pixels = image.width * image.height;
  return new GantryError(
    'MEDIA_TOO_LARGE',
    `Page ${number} of the PDF holds a ${image.width}×${image.height} image (${pixels} pixels) to recognise, over the limit of ${maxPixels} pixels`,
    {
      details: {
        format: 'pdf',
        page: number,
        width: image.width,
        height: image.height,
        pixels,
        max_pixels: maxPixels,
      },
    },
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
  const oversized = oversizedImage(bytes, options.maxPixels);
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
      if (oversized && hasThinTextLayer(page, runs))
        throw oversizedScan(number, oversized, options.maxPixels);
      const operators = await pageToRecognise(page, runs);
      if (operators) {
        return { kind: 'pixels', ...(await renderPdfPage(page, options.dpi, options.maxPixels, operators)) };
      }
      const { viewport, turn } = uprightViewport(page, runs, options.dpi / 72);
      const layout = pageLayout(wordRows(textLayerWords(runs, viewport)));
      return {
        kind: 'text',
        page: {
          number,
          source: 'text_layer',
          width: Math.max(1, Math.round(viewport.width)),
          height: Math.max(1, Math.round(viewport.height)),
          dpi: options.dpi,
          // As a recognised page's: the turn given to it, clockwise, within (-180, 180].
          rotation: turn > 180 ? turn - 360 : turn,
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
