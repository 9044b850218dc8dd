import { z } from 'zod';
import { BlobRef } from '../blob-ref.js';
import { defineJob } from '../define-job.js';
import { visionImageTypes } from './vision-image-types.js';

/** The 80 COCO classes the detector knows, in model order (YOLOX `coco_classes.py`). */
// prettier-ignore
export const cocoLabels = [
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light',
  'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow',
  'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee',
  'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard',
  'tennis racket', 'bottle', 'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple',
  'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch',
  'potted plant', 'bed', 'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone',
  'microwave', 'oven', 'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear',
  'hair drier', 'toothbrush',
] as const;

export const CocoLabel = z
  .enum(cocoLabels, {
    error: (issue) =>
      `"${String(issue.input)}" is not a COCO class name; use one of: ${cocoLabels.join(', ')}`,
  })
  .describe('COCO class name, e.g. "person", "dog", "traffic light"');
export type CocoLabel = z.infer<typeof CocoLabel>;

export const VisionDetectInput = z.object({
  file: BlobRef,
  min_score: z
    .number()
    .min(0, 'min_score is a score between 0 and 1')
    .max(1, 'min_score is a score between 0 and 1')
    .default(0.3)
    .describe('Objects scoring below this are left out'),
  max_detections: z
    .number()
    .int('max_detections must be a whole number')
    .min(1, 'max_detections must be at least 1')
    .max(300, 'max_detections is at most 300')
    .default(100)
    .describe('Keep at most this many objects, best scores first'),
  classes: z
    .array(CocoLabel)
    .min(1, 'give at least one class, or leave `classes` out to detect all 80')
    .optional()
    .describe('Only report these classes'),
});
export type VisionDetectInput = z.infer<typeof VisionDetectInput>;

/**
 * A box in whole pixels of the image as it is shown (after EXIF orientation): origin top left,
 * always inside the image.
 */
export const DetectionBox = z.object({
  x: z.number().int().nonnegative(),
  y: z.number().int().nonnegative(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type DetectionBox = z.infer<typeof DetectionBox>;

export const DetectedObject = z.object({
  label: CocoLabel,
  score: z.number().min(0).max(1).describe('Objectness × class probability'),
  box: DetectionBox,
});
export type DetectedObject = z.infer<typeof DetectedObject>;

export const VisionDetectOutput = z.object({
  width: z.number().int().positive().describe('Image width as shown, after EXIF orientation'),
  height: z.number().int().positive(),
  objects: z.array(DetectedObject).describe('Best score first; empty when nothing was found'),
});
export type VisionDetectOutput = z.infer<typeof VisionDetectOutput>;

export const VisionDetect = defineJob({
  type: 'vision.detect',
  queue: 'vision',
  summary: 'Detect objects of the 80 COCO classes in an image, with labels, scores and boxes',
  input: VisionDetectInput,
  output: VisionDetectOutput,
  defaults: { attempts: 3, timeoutMs: 30_000 },
  errors: [
    'UNSUPPORTED_MEDIA_TYPE',
    'MEDIA_CORRUPT',
    'MEDIA_TOO_LARGE',
    'MODEL_UNAVAILABLE',
    'VALIDATION_FAILED',
  ],
  accepts: visionImageTypes,
  // `file` names a blob uploaded with POST /v1/blobs; a multipart request sends the file itself instead.
  examples: [
    {
      file: { blob_id: 'blob_5f0c6a1e-3b9d-4c2a-9e57-1d2f3a4b5c6d' },
      min_score: 0.4,
      classes: ['person', 'dog'],
    },
  ],
});
