import { z } from 'zod';
import { BlobRef } from '../blob-ref.js';
import { defineJob } from '../define-job.js';
import { visionImageTypes } from './vision-image-types.js';

const enhanceFormats = ['webp', 'avif', 'jpeg', 'png'] as const;

const step = (what: string) => z.boolean().default(true).describe(what);

export const VisionEnhanceInput = z.object({
  file: BlobRef,
  format: z
    .enum(enhanceFormats, { error: () => `format is one of: ${enhanceFormats.join(', ')}` })
    .default('jpeg')
    .describe('Format of the enhanced image'),
  quality: z
    .number()
    .int('quality must be a whole number')
    .min(1, 'quality is between 1 and 100')
    .max(100, 'quality is between 1 and 100')
    .default(82)
    .describe('Encoder quality (JPEG, WebP, AVIF; PNG is lossless and ignores it)'),
  white_balance: step('Remove a colour cast seen on near-neutral pixels, when there is one'),
  exposure: step('Stretch the levels of a flat photo and brighten a dark one, when needed'),
  denoise: step('Median filter, when the estimated noise calls for it'),
  sharpen: step('Unsharp mask, when the image is soft or was upscaled'),
  upscale_to: z
    .number()
    .int('upscale_to must be a whole number')
    .min(0, 'upscale_to is 0 (never upscale) or a long side in pixels')
    .max(4096, 'upscale_to is at most 4096')
    .default(1024)
    .describe(
      'Images whose long side is shorter are upscaled (Lanczos, at most 4×) to about this; 0 never upscales',
    ),
});
export type VisionEnhanceInput = z.infer<typeof VisionEnhanceInput>;

export const ImageStatistics = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  brightness: z.number().min(0).max(1).describe('Mean luminance, 0 black to 1 white'),
  contrast: z.number().min(0).max(1).describe('Standard deviation of luminance (0..1)'),
  colour_cast: z
    .number()
    .min(0)
    .max(1)
    .describe(
      'How far the near-neutral pixels (greys of the scene) are from grey: largest channel distance, 0..1; 0 when there are too few',
    ),
  noise: z.number().min(0).describe('Estimated noise sigma in 8-bit levels (Immerkær)'),
  sharpness: z.number().min(0).describe('Variance of the Laplacian of luminance: low is blurred'),
});
export type ImageStatistics = z.infer<typeof ImageStatistics>;

export const EnhanceStep = z.object({
  name: z.enum([
    'auto_orient',
    'colour_space',
    'white_balance',
    'exposure',
    'denoise',
    'upscale',
    'sharpen',
    'encode',
  ]),
  applied: z.boolean(),
  detail: z.string().describe('What the step did, or why it did nothing'),
  duration_ms: z
    .number()
    .nonnegative()
    .describe("The step's own time; colour_space's is the decoding pass, which converts as it decodes"),
  changed: z
    .record(z.string(), z.object({ before: z.number(), after: z.number() }))
    .describe(
      'Only what the step moved, before and after it: the statistics it is meant to change; for auto_orient the orientation (and width and height on a quarter turn), for colour_space bits_per_sample and channels when they differ, for encode the bytes',
    ),
});
export type EnhanceStep = z.infer<typeof EnhanceStep>;

export const VisionEnhanceOutput = z.object({
  file: BlobRef.describe('The enhanced image, stored as a blob of the job’s tenant'),
  format: z.enum(enhanceFormats),
  before: ImageStatistics.describe('The decoded input, upright, as sRGB'),
  after: ImageStatistics.describe('The enhanced image, before encoding'),
  steps: z.array(EnhanceStep).describe('Every step in the order it ran'),
});
export type VisionEnhanceOutput = z.infer<typeof VisionEnhanceOutput>;

export const VisionEnhance = defineJob({
  type: 'vision.enhance',
  queue: 'vision',
  summary:
    'Enhance a photo (orientation, colour cast, exposure, noise, sharpness, upscaling) into WebP, AVIF, JPEG or PNG',
  input: VisionEnhanceInput,
  output: VisionEnhanceOutput,
  defaults: { attempts: 2, timeoutMs: 60_000 },
  errors: ['UNSUPPORTED_MEDIA_TYPE', 'MEDIA_CORRUPT', 'MEDIA_TOO_LARGE', 'VALIDATION_FAILED'],
  accepts: visionImageTypes,
  examples: [{ file: { blob_id: 'blob_5f0c6a1e-3b9d-4c2a-9e57-1d2f3a4b5c6d' }, format: 'jpeg', quality: 85 }],
});
