import { z } from 'zod';
import { BlobRef } from '../blob-ref.js';
import { defineJob } from '../define-job.js';
import { OcrLanguages } from './ocr-extract.js';
import { Barcode } from './vision-barcodes.js';
import { DetectedObject } from './vision-detect.js';

/** Containers the video job reads (sniffed from the bytes). */
/** Animated GIFs too: ffmpeg reads them as it reads a video (animated WebP it cannot decode). */
export const visionVideoTypes = ['video/mp4', 'video/webm', 'video/quicktime', 'image/gif'] as const;

export const VideoAnalysis = z
  .enum(['detect', 'barcodes', 'ocr'])
  .describe('What each sampled frame is run through');
export type VideoAnalysis = z.infer<typeof VideoAnalysis>;

export const VisionVideoInput = z.object({
  file: BlobRef,
  every_s: z
    .number()
    .min(0.1, 'every_s is at least 0.1 (10 frames a second)')
    .max(60, 'every_s is at most 60')
    .default(1)
    .describe("With `sample: 'rate'`: one frame every this many seconds, from the start"),
  sample: z
    .enum(['rate', 'scene'])
    .default('rate')
    .describe(
      '`rate`: frames at a fixed interval (`every_s`); `scene`: the first frame and each frame where the picture changes (a cut)',
    ),
  scene_threshold: z
    .number()
    .min(0.01, 'scene_threshold is a change score between 0.01 and 1')
    .max(1, 'scene_threshold is a change score between 0.01 and 1')
    .default(0.3)
    .describe(
      "With `sample: 'scene'`: how much a frame must differ from the one before to count as a cut (ffmpeg's scene score)",
    ),
  analyses: z
    .array(VideoAnalysis)
    .min(1, 'ask for at least one analysis')
    .default(['detect'])
    .describe('Run each sampled frame through object detection, barcode reading and/or OCR'),
  languages: OcrLanguages.describe(
    'With `ocr`: the tesseract languages of the text (default ["eng"]); the worker announces the ones it has as `tesseract-<code>` models, and refuses others (VALIDATION_FAILED)',
  ),
  min_score: z
    .number()
    .min(0, 'min_score is a score between 0 and 1')
    .max(1, 'min_score is a score between 0 and 1')
    .default(0.3)
    .describe('Objects scoring below this are left out'),
  max_frames: z
    .number()
    .int('max_frames must be a whole number')
    .min(1, 'max_frames must be at least 1')
    .max(300, 'max_frames is at most 300')
    .default(60)
    .describe(
      "Stop after this many sampled frames; a worker samples at most its VISION_VIDEO_MAX_FRAMES (300 by default), and the output's frame_limit says which applied",
    ),
});
export type VisionVideoInput = z.infer<typeof VisionVideoInput>;

export const VideoFrame = z.object({
  time_s: z.number().min(0).describe('Time of the sampled frame from the start of the video'),
  objects: z.array(DetectedObject).optional().describe('With `detect`: objects in frame pixels'),
  barcodes: z.array(Barcode).optional().describe('With `barcodes`: every symbol decoded in the frame'),
  text: z.string().optional().describe('With `ocr`: the text read in the frame (empty when there is none)'),
});
export type VideoFrame = z.infer<typeof VideoFrame>;

export const VisionVideoOutput = z.object({
  duration_s: z.number().min(0),
  width: z.number().int().positive().describe('Width of the video stream'),
  height: z.number().int().positive(),
  frame_width: z.number().int().positive().describe('Width of the sampled frames (long side at most 1280)'),
  frame_height: z.number().int().positive(),
  codec: z.string().describe("ffprobe's name for the video codec"),
  frame_limit: z
    .number()
    .int()
    .positive()
    .describe(
      "The most frames sampled: the job's max_frames, or the worker's VISION_VIDEO_MAX_FRAMES where lower",
    ),
  frames: z.array(VideoFrame).describe('The timeline, in time order'),
});
export type VisionVideoOutput = z.infer<typeof VisionVideoOutput>;

export const VisionVideo = defineJob({
  type: 'vision.video',
  queue: 'vision',
  summary:
    'Sample frames of a short video at a rate or on scene cuts and run each through detection, barcode reading and/or OCR',
  input: VisionVideoInput,
  output: VisionVideoOutput,
  defaults: { attempts: 2, timeoutMs: 300_000 },
  errors: [
    'UNSUPPORTED_MEDIA_TYPE',
    'MEDIA_CORRUPT',
    'MEDIA_TOO_LARGE',
    'MODEL_UNAVAILABLE',
    'VALIDATION_FAILED',
  ],
  accepts: visionVideoTypes,
  examples: [
    { file: { blob_id: 'blob_5f0c6a1e-3b9d-4c2a-9e57-1d2f3a4b5c6d' }, every_s: 0.5, analyses: ['detect'] },
    {
      file: { blob_id: 'blob_5f0c6a1e-3b9d-4c2a-9e57-1d2f3a4b5c6d' },
      sample: 'scene',
      scene_threshold: 0.3,
      analyses: ['detect', 'barcodes'],
    },
    {
      file: { blob_id: 'blob_5f0c6a1e-3b9d-4c2a-9e57-1d2f3a4b5c6d' },
      sample: 'scene',
      analyses: ['ocr'],
      languages: ['eng'],
    },
  ],
});
