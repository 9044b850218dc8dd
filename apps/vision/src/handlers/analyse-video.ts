import type { VisionVideo } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import type { VideoAnalyser } from '../video/video-analyser.js';

/** `vision.video`: blob → ffmpeg-sampled frames → detection, barcodes and/or OCR per frame. */
export const analyseVideo: Handler<typeof VisionVideo, { video: VideoAnalyser }> = async (
  { file, ...request },
  ctx,
  { video },
) => video.analyse(await ctx.readBlob(file), { ...request, signal: ctx.signal });
