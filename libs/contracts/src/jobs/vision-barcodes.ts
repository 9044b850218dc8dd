import { z } from 'zod';
import { BlobRef } from '../blob-ref.js';
import { defineJob } from '../define-job.js';
import { visionImageTypes } from './vision-image-types.js';

/** The symbologies `vision.barcodes` looks for. */
export const barcodeFormats = [
  'qr_code',
  'micro_qr_code',
  'ean_13',
  'ean_8',
  'upc_a',
  'upc_e',
  'code_128',
  'code_39',
  'itf',
  'data_matrix',
  'pdf417',
  'aztec',
] as const;

export const BarcodeFormat = z
  .enum(barcodeFormats, {
    error: (issue) =>
      `"${String(issue.input)}" is not a barcode format; use one of: ${barcodeFormats.join(', ')}`,
  })
  .describe('Symbology, e.g. "qr_code", "ean_13", "data_matrix"');
export type BarcodeFormat = z.infer<typeof BarcodeFormat>;

export const VisionBarcodesInput = z.object({
  file: BlobRef,
  formats: z
    .array(BarcodeFormat)
    .min(1, 'give at least one format, or leave `formats` out to look for all of them')
    .optional()
    .describe('Only look for these symbologies (faster, and no symbol of another kind can be reported)'),
  max_symbols: z
    .number()
    .int('max_symbols must be a whole number')
    .min(1, 'max_symbols must be at least 1')
    .max(64, 'max_symbols is at most 64')
    .default(16)
    .describe('Stop after this many symbols'),
});
export type VisionBarcodesInput = z.infer<typeof VisionBarcodesInput>;

const Point = z.object({ x: z.number().int(), y: z.number().int() });

export const Barcode = z.object({
  format: BarcodeFormat,
  text: z.string().describe('The payload as text (UTF-8, or as the symbol declares its character set)'),
  bytes_base64: z
    .string()
    .nullable()
    .describe('The raw payload, base64, when it is binary (not text); null for text payloads'),
  content_type: z
    .enum(['text', 'binary', 'mixed', 'gs1', 'iso15434', 'unknown_eci'])
    .describe('What the payload holds, as the symbol declares it'),
  position: z
    .object({ top_left: Point, top_right: Point, bottom_right: Point, bottom_left: Point })
    .describe('Corners of the symbol in image pixels (after EXIF orientation), in reading order'),
  orientation: z
    .number()
    .int()
    .min(-180)
    .max(180)
    .describe('Rotation of the symbol in degrees, clockwise from upright'),
});
export type Barcode = z.infer<typeof Barcode>;

export const VisionBarcodesOutput = z.object({
  width: z.number().int().positive().describe('Image width as shown, after EXIF orientation'),
  height: z.number().int().positive(),
  barcodes: z.array(Barcode).describe('Every symbol decoded with a valid checksum; empty when there is none'),
});
export type VisionBarcodesOutput = z.infer<typeof VisionBarcodesOutput>;

export const VisionBarcodes = defineJob({
  type: 'vision.barcodes',
  queue: 'vision',
  summary:
    'Read every QR, Micro QR, EAN/UPC, Code 128/39, ITF, DataMatrix, PDF417 and Aztec code in an image',
  input: VisionBarcodesInput,
  output: VisionBarcodesOutput,
  defaults: { attempts: 2, timeoutMs: 30_000 },
  errors: ['UNSUPPORTED_MEDIA_TYPE', 'MEDIA_CORRUPT', 'MEDIA_TOO_LARGE', 'VALIDATION_FAILED'],
  accepts: visionImageTypes,
  examples: [{ file: { blob_id: 'blob_5f0c6a1e-3b9d-4c2a-9e57-1d2f3a4b5c6d' }, formats: ['qr_code'] }],
});
