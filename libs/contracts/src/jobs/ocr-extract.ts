import { z } from 'zod';
import { BlobRef } from '../blob-ref.js';
import { defineJob } from '../define-job.js';

/** Tesseract traineddata names: an ISO 639-2 code, optionally with a script or variant (`chi_sim`). */
export const OcrLanguage = z
  .string()
  .regex(/^[a-z]{3}(_[a-z]{3,4})?$/, 'must be a tesseract language code such as "eng", "deu" or "chi_sim"')
  .describe('Tesseract language code (ISO 639-2, e.g. "eng"); the worker lists the ones it has');
export type OcrLanguage = z.infer<typeof OcrLanguage>;

/** The languages one job reads in; the worker refuses any it has not installed (VALIDATION_FAILED). */
export const OcrLanguages = z
  .array(OcrLanguage)
  .min(1, 'give at least one language, or leave `languages` out for ["eng"]')
  .max(4, 'at most 4 languages per job')
  .refine((codes) => new Set(codes).size === codes.length, 'languages must not repeat')
  .default(['eng']);

export const OcrExtractInput = z.object({
  file: BlobRef,
  languages: OcrLanguages,
  pages: z
    .object({
      first: z
        .number()
        .int('pages.first must be a whole number')
        .min(1, 'pages are numbered from 1')
        .default(1),
      last: z
        .number()
        .int('pages.last must be a whole number')
        .min(1, 'pages are numbered from 1')
        .optional()
        .describe('Inclusive; left out: to the end of the document'),
    })
    .refine(
      (range) => range.last === undefined || range.last >= range.first,
      'pages.last must not be before pages.first',
    )
    .optional()
    .describe('Pages of a PDF or multi-page image to read (1-based, inclusive); left out: every page'),
  on_page_limit: z
    .enum(['fail', 'first_pages'])
    .default('fail')
    .describe(
      'A document with more pages (in the range) than the worker reads per job (OCR_MAX_PAGES): `fail` fails the job (MEDIA_TOO_LARGE), `first_pages` reads the first ones and says so in `truncated`',
    ),
});
export type OcrExtractInput = z.infer<typeof OcrExtractInput>;

/**
 * A box in pixels of the page as it is shown (after EXIF orientation): origin top left,
 * `x1`/`y1` exclusive.
 */
export const OcrBox = z.object({
  x0: z.number().int().nonnegative(),
  y0: z.number().int().nonnegative(),
  x1: z.number().int().nonnegative(),
  y1: z.number().int().nonnegative(),
});
export type OcrBox = z.infer<typeof OcrBox>;

/** Confidences are 0..1 (tesseract's 0..100 divided by 100), like every score in Gantry. */
const Confidence = z.number().min(0).max(1);

export const OcrWord = z.object({
  text: z.string(),
  confidence: Confidence,
  bbox: OcrBox,
});
export type OcrWord = z.infer<typeof OcrWord>;

export const OcrLine = z.object({
  text: z.string().describe('Its words joined by spaces'),
  bbox: OcrBox,
});
export type OcrLine = z.infer<typeof OcrLine>;

export const OcrBlock = z.object({
  bbox: OcrBox,
  lines: z.array(OcrLine).describe('Top to bottom'),
});
export type OcrBlock = z.infer<typeof OcrBlock>;

export const OcrPage = z.object({
  number: z.number().int().positive().describe('1-based page number in the document'),
  source: z
    .enum(['text_layer', 'ocr'])
    .describe(
      "`text_layer`: read from the PDF's own text (exact, no recognition); `ocr`: recognised from pixels",
    ),
  width: z.number().int().positive().describe('Pixels; a PDF page is measured at `dpi`'),
  height: z.number().int().positive(),
  dpi: z
    .number()
    .positive()
    .nullable()
    .describe('Pixels per inch of a PDF page (text layer and rendered pages alike); null for an image'),
  rotation: z
    .number()
    .describe(
      'Degrees clockwise the recognised pixels were turned to stand upright (orientation and skew); boxes are in the page as given',
    ),
  text: z
    .string()
    .describe('In reading order: each text line ends with "\\n", a blank line separates blocks'),
  confidence: Confidence.describe('Mean word confidence (1 for a text layer); 0 when the page has no text'),
  blocks: z.array(OcrBlock).describe('In reading order: columns top to bottom, table rows left to right'),
  words: z.array(OcrWord).describe('In reading order'),
});
export type OcrPage = z.infer<typeof OcrPage>;

export const OcrExtractOutput = z.object({
  text: z.string().describe('All pages read, in reading order, separated by a form feed ("\\f")'),
  page_count: z.number().int().positive().describe('Pages in the whole document'),
  truncated: z
    .boolean()
    .describe('Whether pages of the range were left out by `on_page_limit: "first_pages"`'),
  pages: z.array(OcrPage),
});
export type OcrExtractOutput = z.infer<typeof OcrExtractOutput>;

export const OcrExtract = defineJob({
  type: 'ocr.extract',
  queue: 'ocr',
  summary:
    'Extract text in reading order, with blocks, lines, words and boxes, from a PDF (its text layer, or its scanned pages) or an image (every page of a multi-page TIFF or animation)',
  input: OcrExtractInput,
  output: OcrExtractOutput,
  defaults: { attempts: 3, timeoutMs: 120_000 },
  errors: [
    'UNSUPPORTED_MEDIA_TYPE',
    'MEDIA_CORRUPT',
    'MEDIA_TOO_LARGE',
    'PDF_ENCRYPTED',
    'VALIDATION_FAILED',
  ],
  accepts: [
    'application/pdf',
    'image/png',
    'image/jpeg',
    'image/tiff',
    'image/webp',
    'image/bmp',
    'image/gif',
    'image/avif',
  ],
  // `file` names a blob uploaded with POST /v1/blobs; a multipart request sends the file itself instead.
  examples: [{ file: { blob_id: 'blob_5f0c6a1e-3b9d-4c2a-9e57-1d2f3a4b5c6d' }, languages: ['eng'] }],
});
