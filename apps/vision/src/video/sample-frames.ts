import { spawn } from 'node:child_process';
import { GantryError } from '@gantry/contracts';
import sharp from 'sharp';
import { ffmpegMissing } from './run-process.js';

/** Which frames are sampled: one every `everyS` seconds, or the first and each scene cut. */
export type FrameSampling = { mode: 'rate'; everyS: number } | { mode: 'scene'; threshold: number };

export interface SampleFramesOptions {
  sampling: FrameSampling;
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

/** The `everyS`-long slot, counted from the first frame, that the time `variable` falls in. */
const slot = (variable: string, everyS: number) => `floor((${variable}-start_t+0.0005)/${everyS})`;

/**
 * The ffmpeg filter chain of a sampling. Both select frames with `select`, and `showinfo` logs each
 * picked frame's `pts_time` (at the info level), so a frame carries the time it was shown at;
 * `-fps_mode vfr` keeps ffmpeg from duplicating frames to fill the gaps between picks.
 *
 * A rate picks the first frame, then the first frame at or past each multiple of `everyS` (counted
 * from the first frame). ffmpeg's `fps` filter is not used: it rounds each output slot to the
 * nearest frame, so a clip shorter than half a slot (0.4 s at one frame a second) came out with no
 * frame at all, and the last slot of a clip (2 s of a 2.4 s one) was dropped. Half a millisecond
 * is added before flooring so that a frame exactly on a multiple (0.6 s / 0.2 s = 2.9999…) counts
 * as reaching it.
 */
function samplingArgs(sampling: FrameSampling, scale: string): string[] {
  const select =
    sampling.mode === 'rate'
      ? `select='isnan(prev_selected_t)+gte(${slot('t', sampling.everyS)},${slot('prev_selected_t', sampling.everyS)}+1)'`
      : `select='eq(n,0)+gt(scene,${sampling.threshold})'`;
  return ['-v', 'info', '-hide_banner', '-nostats', '-vf', `${select},showinfo,${scale}`, '-fps_mode', 'vfr'];
}

/** `pts_time:12.34` in a showinfo line. */
const ptsTime = /\bpts_time:\s*(-?[\d.]+)/;

/**
 * Timestamps logged on stderr, handed to frames as they come off stdout (the two pipes race). They
 * count from the first frame: some containers start their clock above zero.
 */
class TimestampQueue {
  private readonly times: number[] = [];
  private start: number | undefined;
  private waiter: (() => void) | undefined;
  private ended = false;

  push(pts: number) {
    this.start ??= pts;
    this.times.push(Math.max(0, pts - this.start));
    this.wake();
  }

  end() {
    this.ended = true;
    this.wake();
  }

  async next(): Promise<number | undefined> {
    while (this.times.length === 0 && !this.ended) {
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
    return this.times.shift();
  }

  private wake() {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}

/**
 * Decodes the sampled frames with ffmpeg (raw RGB on a pipe, so no temp files per
 * frame) and yields each as it arrives; the pipe's backpressure holds ffmpeg while a frame is
 * analysed, so memory stays at about one frame. ffmpeg is killed on abort, on an early return and
 * when its engine process dies (its pipe closes).
 */
export async function* sampleFrames(
  ffmpeg: string,
  file: string,
  { sampling, maxFrames, width, height, signal }: SampleFramesOptions,
): AsyncGenerator<SampledFrame> {
  const child = spawn(
    ffmpeg,
    [
      '-nostdin',
      '-i',
      file,
      '-an',
      '-sn',
      ...samplingArgs(sampling, `scale=${width}:${height}`),
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
  let partialLine = '';
  const timestamps = new TimestampQueue();
  child.stderr.on('data', (chunk: Buffer) => {
    const lines = (partialLine + chunk.toString('utf8')).split('\n');
    partialLine = lines.pop() ?? '';
    for (const line of lines) {
      if (line.includes('Parsed_showinfo')) {
        const time = ptsTime.exec(line)?.[1];
        if (time !== undefined) timestamps.push(Number(time));
      } else if (line.trim()) {
        // The tail is what explains a failure; the info level's stream listing comes first.
        stderr = `${stderr}${line}\n`.slice(-4_000);
      }
    }
  });
  child.stderr.on('close', () => timestamps.end());
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
        const timeS = (await timestamps.next()) ?? 0;
        yield { timeS: Math.round(timeS * 1000) / 1000, png };
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
