import { parseEnv, positiveInt } from '@gantry/config';
import { z } from 'zod';

/** The vision worker's own settings, read once by each engine process's setup. */
const VisionEnv = z.object({
  /** Detection and classification calls that arrive together run as one ONNX batch of at most this many images. */
  VISION_BATCH_MAX_SIZE: positiveInt(8),
  /**
   * How long the first image of a batch waits for more (ms). 0: no waiting; calls that arrive while
   * a batch runs still form the next batch.
   */
  VISION_BATCH_MAX_WAIT_MS: z.coerce.number().int().min(0).max(1_000).default(0),
  /**
   * vision.detect and vision.classify jobs one engine process runs at once, so that jobs arriving together
   * meet in its batches (default: VISION_BATCH_MAX_SIZE; 1: one job per engine process, as other types).
   */
  VISION_ENGINE_CONCURRENCY: z.coerce.number().int().positive().optional(),
  /** ffmpeg and ffprobe for vision.video (Debian's `ffmpeg` package puts them here). */
  VISION_FFMPEG_PATH: z.string().min(1).default('/usr/bin/ffmpeg'),
  VISION_FFPROBE_PATH: z.string().min(1).default('/usr/bin/ffprobe'),
  /**
   * vision.video's OCR languages: a directory of `<code>.traineddata.gz` files (e.g. from
   * `@tesseract.js-data/<code>`) or of plain `<code>.traineddata` ones (Debian's tessdata); left out, the
   * English one shipped in npm. Each is announced as a model.
   */
  VISION_OCR_LANGUAGE_DIR: z.string().min(1).optional(),
  /** Longer videos are refused before a frame is decoded (MEDIA_TOO_LARGE). */
  VISION_VIDEO_MAX_DURATION_S: positiveInt(600),
  /** Most frames one vision.video job samples on this worker, whatever its max_frames asks (at most the contract's 300). */
  VISION_VIDEO_MAX_FRAMES: z.coerce.number().int().min(1).max(300).default(300),
  /** Videos with larger frames (width × height) are refused before a frame is decoded; default: MAX_IMAGE_PIXELS. */
  VISION_VIDEO_MAX_PIXELS: z.coerce.number().int().positive().optional(),
});

export const loadVisionEnv = (env: NodeJS.ProcessEnv = process.env) => {
  const vision = parseEnv(VisionEnv, env);
  return {
    ...vision,
    VISION_ENGINE_CONCURRENCY: vision.VISION_ENGINE_CONCURRENCY ?? vision.VISION_BATCH_MAX_SIZE,
  };
};
