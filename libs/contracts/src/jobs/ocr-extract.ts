import { z } from 'zod';
import { BlobRef } from '../blob-ref.js';
import { defineJob } from '../define-job.js';

/** Tesseract traineddata names: an ISO 639-2 code, optionally with a script or variant (`chi_sim`). */
export const OcrLanguage = z
  .string()
  .regex(/^[a-z]{3}(_[a-z]{3,4})?$/, 'must be a tesseract language code such as "eng", "deu" or "chi_sim"')
  .describe('Tesseract language code (ISO 639-2, e.g. "eng"); the worker lists the ones it has');
export type OcrLanguage = z.infer<typeof OcrLanguage>;

export const OcrExtractInput = z.object({
  file: BlobRef,
  languages: z
    .array(OcrLanguage)
    .min(1, 'give at least one language, or leave `languages` out for ["eng"]')
    .max(4, 'at most 4 languages per job')
    .refine((codes) => new Set(codes).size === codes.length, 'languages must not repeat')
    .default(['eng']),
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

export const OcrPage = z.object({
  number: z.number().int().positive().describe('1-based; only multi-page TIFFs have more than one page'),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  text: z
    .string()
    .describe('In reading order: each text line ends with "\\n", a blank line separates blocks'),
  confidence: Confidence.describe('Mean word confidence; 0 when the page has no text'),
  words: z.array(OcrWord),
});
export type OcrPage = z.infer<typeof OcrPage>;

export const OcrExtractOutput = z.object({
  text: z.string().describe('All pages, separated by a form feed ("\\f")'),
  pages: z.array(OcrPage),
});
export type OcrExtractOutput = z.infer<typeof OcrExtractOutput>;

export const OcrExtract = defineJob({
  type: 'ocr.extract',
  queue: 'ocr',
  summary: 'Extract text, words, boxes and confidences from an image (every page of a multi-page TIFF)',
  input: OcrExtractInput,
  output: OcrExtractOutput,
  defaults: { attempts: 3, timeoutMs: 120_000 },
  errors: ['UNSUPPORTED_MEDIA_TYPE', 'MEDIA_CORRUPT', 'MEDIA_TOO_LARGE', 'VALIDATION_FAILED'],
  accepts: ['image/png', 'image/jpeg', 'image/tiff', 'image/webp', 'image/bmp', 'image/gif', 'image/avif'],
  // `file` names a blob uploaded with POST /v1/blobs; a multipart request sends the file itself instead.
  examples: [{ file: { blob_id: 'blob_5f0c6a1e-3b9d-4c2a-9e57-1d2f3a4b5c6d' }, languages: ['eng'] }],
});
