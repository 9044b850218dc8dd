import type { VisionDetect, VisionDetectOutput } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { ObjectDetector } from '../engine/create-object-detector.js';

/** `vision.detect`: blob → YOLOX-Nano → objects in original image pixels. */
export const detectObjects: Handler<typeof VisionDetect, { detector: ObjectDetector }> = async (
  input,
  ctx,
  { detector },
) => {
  const image = await ctx.readBlob(input.file);
  const detections = await detector.detect(image, {
    minScore: input.min_score,
    maxDetections: input.max_detections,
    ...(input.classes ? { classes: input.classes } : {}),
    signal: ctx.signal,
    onProgress: (pct, message) => ctx.progress(pct, message),
  });
  return detections as VisionDetectOutput;
};
