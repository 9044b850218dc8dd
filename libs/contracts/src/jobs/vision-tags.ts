import { z } from 'zod';
import { BlobRef } from '../blob-ref.js';
import { defineJob } from '../define-job.js';
import { visionImageTypes } from './vision-image-types.js';

export const VisionTagsInput = z.object({
  file: BlobRef,
  min_score: z
    .number()
    .min(0, 'min_score is a score between 0 and 1')
    .max(1, 'min_score is a score between 0 and 1')
    .default(0.4)
    .describe('Detections and classes scoring below this do not make a label'),
});
export type VisionTagsInput = z.infer<typeof VisionTagsInput>;

export const ImageLabel = z.object({
  label: z.string(),
  source: z
    .enum(['detection', 'classification'])
    .describe(
      'What produced the label: the object detector (YOLOX-Nano, COCO classes), or the whole-image classifier when one is installed (vision.classify)',
    ),
  count: z.number().int().positive().describe('Objects of this class found (1 for a classification)'),
  confidence: z.number().min(0).max(1).describe('Best detection score among them, or the class probability'),
});
export type ImageLabel = z.infer<typeof ImageLabel>;

export const CaptureData = z.object({
  taken_at: z.string().nullable().describe('EXIF DateTimeOriginal as written (camera local time, no zone)'),
  camera_make: z.string().nullable(),
  camera_model: z.string().nullable(),
  exposure_time_s: z.number().nullable(),
  f_number: z.number().nullable(),
  iso: z.number().nullable(),
  focal_length_mm: z.number().nullable(),
  gps: z.object({ latitude: z.number(), longitude: z.number() }).nullable(),
});
export type CaptureData = z.infer<typeof CaptureData>;

export const VisionTagsOutput = z.object({
  width: z.number().int().positive().describe('As shown, after EXIF orientation'),
  height: z.number().int().positive(),
  format: z.string().describe('The real format, sniffed from the bytes'),
  orientation: z.number().int().min(1).max(8).describe('EXIF orientation of the file (1: upright)'),
  // Optional, so that a result from a worker older than these fields still parses.
  frames: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Frames (GIF, WebP) or pages (TIFF) in the file; every analysis here looks at the first only'),
  animated: z
    .boolean()
    .optional()
    .describe('A GIF or WebP with more than one frame: the labels and statistics are of its first frame'),
  capture: CaptureData.nullable().describe('From the EXIF block; null when the file has none'),
  labels: z.array(ImageLabel).describe('Most confident first; empty when nothing was recognised'),
  dominant_colours: z
    .array(z.object({ hex: z.string().regex(/^#[0-9a-f]{6}$/), share: z.number().min(0).max(1) }))
    .describe('Up to 5 colours, largest share of the image first'),
  brightness: z.number().min(0).max(1).describe('Mean luminance, 0 black to 1 white'),
  contrast: z.number().min(0).max(1).describe('Standard deviation of luminance'),
  sharpness: z
    .number()
    .min(0)
    .describe('Variance of the Laplacian of luminance (on a 512 px copy): low is blurred'),
  blurry: z.boolean().describe('Sharpness under 100: most viewers would call the photo blurred'),
});
export type VisionTagsOutput = z.infer<typeof VisionTagsOutput>;

export const VisionTags = defineJob({
  type: 'vision.tags',
  queue: 'vision',
  summary:
    'Tag an image: object labels with counts, EXIF capture data, dominant colours, brightness, contrast and a blur estimate',
  input: VisionTagsInput,
  output: VisionTagsOutput,
  defaults: { attempts: 2, timeoutMs: 30_000 },
  errors: ['UNSUPPORTED_MEDIA_TYPE', 'MEDIA_CORRUPT', 'MEDIA_TOO_LARGE', 'MODEL_UNAVAILABLE'],
  accepts: visionImageTypes,
  examples: [{ file: { blob_id: 'blob_5f0c6a1e-3b9d-4c2a-9e57-1d2f3a4b5c6d' }, min_score: 0.4 }],
});
