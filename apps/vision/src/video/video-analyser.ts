import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  barcodeFormats,
  GantryError,
  type VideoFrame,
  type VisionVideoInput,
  type VisionVideoOutput,
} from '@gantry/contracts';
import type { BarcodeReader } from '../engine/barcode-reader.js';
import type { ObjectDetector } from '../engine/create-object-detector.js';
import type { FrameTextReader } from './frame-text-reader.js';
import { probeVideo, type VideoLimits } from './probe-video.js';
import { frameSize, sampleFrames } from './sample-frames.js';

export interface VideoAnalyserOptions extends VideoLimits {
  detector: ObjectDetector;
  barcodes: BarcodeReader;
  text: FrameTextReader;
  /** Paths of the ffmpeg and ffprobe binaries. */
  ffmpeg: string;
  ffprobe: string;
}

export type VideoRequest = Omit<VisionVideoInput, 'file'> & { signal?: AbortSignal };

export interface VideoAnalyser {
  analyse(bytes: Buffer, request: VideoRequest): Promise<VisionVideoOutput>;
}

/**
 * `vision.video`: the video is written to a private temp file (ffprobe and MP4's trailing index need
 * a seekable file), probed and refused over the limits, then sampled (at a rate or on scene cuts) frame by frame through
 * detection, barcode reading and/or OCR into a timeline.
 */
export function createVideoAnalyser(options: VideoAnalyserOptions): VideoAnalyser {
  return {
    async analyse(
      bytes,
      { every_s, sample, scene_threshold, analyses, languages, min_score, max_frames, signal },
    ) {
      // A language this worker lacks fails the job before the video is read, as in ocr.extract.
      options.text.checkLanguages(languages);
      // The worker's own limit caps what a job asks (the contract's default included).
      const frameLimit = Math.min(max_frames, options.maxFrames);
      if (bytes.length === 0) throw new GantryError('MEDIA_CORRUPT', 'The video file is empty');
      const folder = await mkdtemp(path.join(tmpdir(), 'gantry-video-'));
      try {
        const file = path.join(folder, 'input');
        await writeFile(file, bytes, { mode: 0o600 });
        const info = await probeVideo(options.ffprobe, file, options, signal);
        const size = frameSize(info.width, info.height);
        const frames: VideoFrame[] = [];
        for await (const frame of sampleFrames(options.ffmpeg, file, {
          sampling:
            sample === 'scene'
              ? { mode: 'scene', threshold: scene_threshold }
              : { mode: 'rate', everyS: every_s },
          maxFrames: frameLimit,
          ...size,
          ...(signal ? { signal } : {}),
        })) {
          const entry: VideoFrame = { time_s: frame.timeS };
          if (analyses.includes('detect')) {
            const found = await options.detector.detect(frame.png, {
              minScore: min_score,
              maxDetections: 100,
              ...(signal ? { signal } : {}),
            });
            entry.objects = found.objects as VideoFrame['objects'];
          }
          if (analyses.includes('barcodes')) {
            const read = await options.barcodes.read(frame.png, {
              formats: barcodeFormats,
              maxSymbols: 50,
              ...(signal ? { signal } : {}),
            });
            entry.barcodes = read.barcodes;
          }
          if (analyses.includes('ocr')) {
            entry.text = await options.text.read(frame.png, languages);
            signal?.throwIfAborted();
          }
          frames.push(entry);
        }
        return {
          duration_s: Math.round(info.duration * 1000) / 1000,
          width: info.width,
          height: info.height,
          frame_width: size.width,
          frame_height: size.height,
          codec: info.codec,
          frame_limit: frameLimit,
          frames,
        };
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    },
  };
}
