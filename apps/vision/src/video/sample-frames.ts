import { spawn } from 'node:child_process';
import { GantryError } from '@gantry/contracts';
import sharp from 'sharp';
import { ffmpegMissing } from './run-process.js';

export interface SampleFramesOptions {
  /** Seconds between sampled frames. */
  everyS: number;
  maxFrames: number;
  /** Size frames come out at (even numbers). */
  width: number;
  height: number;
  signal?: AbortSignal;
}

export interface SampledFrame {
  timeS: number;
  /** The frame as a PNG, for the image engines. */
  png: Buffer;
}

/** Longest side of a sampled frame: enough for YOLOX's 416 input and for most barcodes. */
const maxFrameSide = 1280;

/** The size frames are sampled at: the video's, scaled down to a 1280 long side, even. */
export function frameSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, maxFrameSide / Math.max(width, height));
  const even = (value: number) => Math.max(2, Math.round((value * scale) / 2) * 2);
  return { width: even(width), height: even(height) };
}

/**
 * Decodes one frame every `everyS` seconds with ffmpeg (raw RGB on a pipe, so no temp files per
 * frame) and yields each as it arrives; the pipe's backpressure holds ffmpeg while a frame is
 * analysed, so memory stays at about one frame. ffmpeg is killed on abort, on an early return and
 * when its engine process dies (its pipe closes).
 */
export async function* sampleFrames(
  ffmpeg: string,
  file: string,
  { everyS, maxFrames, width, height, signal }: SampleFramesOptions,
): AsyncGenerator<SampledFrame> {
  const child = spawn(
    ffmpeg,
    [
      '-v',
      'error',
      '-nostdin',
      '-i',
      file,
      '-an',
      '-sn',
      '-vf',
      `fps=${(1 / everyS).toFixed(6)},scale=${width}:${height}`,
      '-frames:v',
      String(maxFrames),
      '-pix_fmt',
      'rgb24',
      '-f',
      'rawvideo',
      'pipe:1',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], ...(signal ? { signal } : {}) },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 4_000) stderr += chunk.toString('utf8');
  });
  const spawnError = new Promise<never>((_, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT' ? ffmpegMissing(ffmpeg, error) : signal?.aborted ? signal.reason : error,
      ),
    );
  });
  spawnError.catch(() => undefined);
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));

  const frameBytes = width * height * 3;
  let pending: Buffer = Buffer.alloc(0);
  let index = 0;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= frameBytes) {
        const raw = pending.subarray(0, frameBytes);
        pending = pending.subarray(frameBytes);
        const png = await sharp(raw, { raw: { width, height, channels: 3 } })
          .png({ compressionLevel: 0 })
          .toBuffer();
        yield { timeS: Math.round(index * everyS * 1000) / 1000, png };
        index++;
      }
    }
    const code = await Promise.race([closed, spawnError]);
    signal?.throwIfAborted();
    if (code !== 0 && index === 0) {
      throw new GantryError('MEDIA_CORRUPT', 'ffmpeg could not decode a frame of the video', {
        details: { ffmpeg: stderr.trim().split('\n').slice(-3).join('\n') },
      });
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
