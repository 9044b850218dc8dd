import { GantryError } from '@gantry/contracts';
import { runProcess } from './run-process.js';

export interface VideoInfo {
  width: number;
  height: number;
  duration: number;
  codec: string;
}

export interface VideoLimits {
  /** Longest video accepted, seconds. */
  maxDurationS: number;
  /** Largest frame (width × height) accepted. */
  maxPixels: number;
  /** Most frames one job may sample. */
  maxFrames: number;
}

interface Probe {
  streams?: { width?: number; height?: number; codec_name?: string; duration?: string }[];
  format?: { duration?: string };
}

const notAVideo = (stderr: string) =>
  new GantryError(
    'MEDIA_CORRUPT',
    'The file is not a video ffmpeg can read (corrupt, truncated or another format)',
    {
      details: { ffprobe: stderr.split('\n').slice(-3).join('\n') },
    },
  );

/**
 * Reads the first video stream's size, codec and the duration with ffprobe, and refuses a video
 * over the limits before a frame is decoded (absurd dimensions, hours of footage).
 */
export async function probeVideo(
  ffprobe: string,
  file: string,
  limits: VideoLimits,
  signal?: AbortSignal,
): Promise<VideoInfo> {
  const { code, stdout, stderr } = await runProcess(
    ffprobe,
    [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=width,height,codec_name,duration:format=duration',
      '-of',
      'json',
      file,
    ],
    signal ? { signal } : {},
  );
  if (code !== 0) throw notAVideo(stderr);
  let probe: Probe;
  try {
    probe = JSON.parse(stdout.toString('utf8')) as Probe;
  } catch {
    throw notAVideo(stderr);
  }
  const stream = probe.streams?.[0];
  const width = stream?.width ?? 0;
  const height = stream?.height ?? 0;
  const duration = Number(probe.format?.duration ?? stream?.duration);
  if (!stream || width <= 0 || height <= 0 || !Number.isFinite(duration)) throw notAVideo(stderr);
  if (width * height > limits.maxPixels || Math.max(width, height) > 16_384) {
    throw new GantryError(
      'MEDIA_TOO_LARGE',
      `The video is ${width}×${height}, over the frame size limit (VISION_VIDEO_MAX_PIXELS)`,
      {
        details: { width, height, max_pixels: limits.maxPixels },
      },
    );
  }
  if (duration > limits.maxDurationS) {
    throw new GantryError(
      'MEDIA_TOO_LARGE',
      `The video lasts ${Math.round(duration)} s, over the ${limits.maxDurationS} s limit (VISION_VIDEO_MAX_DURATION_S)`,
      { details: { duration_s: duration, max_duration_s: limits.maxDurationS } },
    );
  }
  return { width, height, duration, codec: stream.codec_name ?? 'unknown' };
}
