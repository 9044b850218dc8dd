import { z } from 'zod';
import { BlobRef } from '../blob-ref.js';
import { defineJob } from '../define-job.js';
import { visionImageTypes } from './vision-image-types.js';

export const VisionClassifyInput = z.object({
  file: BlobRef,
  top_k: z
    .number()
    .int('top_k must be a whole number')
    .min(1, 'top_k must be at least 1')
    .max(100, 'top_k is at most 100')
    .default(5)
    .describe('Return the k most probable labels'),
  min_score: z
    .number()
    .min(0, 'min_score is a probability between 0 and 1')
    .max(1, 'min_score is a probability between 0 and 1')
    .default(0)
    .describe('Labels less probable than this are left out'),
});
export type VisionClassifyInput = z.infer<typeof VisionClassifyInput>;

export const ClassLabel = z.object({
  label: z.string().describe("A line of the installed classifier's labels file"),
  index: z.number().int().nonnegative().describe('Position of the class in the model output'),
  score: z.number().min(0).max(1).describe('Softmax probability over every class of the model'),
});
export type ClassLabel = z.infer<typeof ClassLabel>;

export const VisionClassifyOutput = z.object({
  width: z.number().int().positive().describe('Image width as shown, after EXIF orientation'),
  height: z.number().int().positive(),
  labels: z.array(ClassLabel).describe('Most probable first, at most top_k'),
});
export type VisionClassifyOutput = z.infer<typeof VisionClassifyOutput>;

export const VisionClassify = defineJob({
  type: 'vision.classify',
  queue: 'vision',
  summary:
    "Classify a whole image with the ONNX classifier installed in the worker's model directory: top-k labels with probabilities",
  input: VisionClassifyInput,
  output: VisionClassifyOutput,
  defaults: { attempts: 2, timeoutMs: 30_000 },
  errors: [
    'UNSUPPORTED_MEDIA_TYPE',
    'MEDIA_CORRUPT',
    'MEDIA_TOO_LARGE',
    'MODEL_UNAVAILABLE',
    'MODEL_MANIFEST_INVALID',
  ],
  accepts: visionImageTypes,
  examples: [{ file: { blob_id: 'blob_5f0c6a1e-3b9d-4c2a-9e57-1d2f3a4b5c6d' }, top_k: 5 }],
});
