import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * A clip of a still photo at 5 frames a second (one second long by default), encoded by Debian's
 * ffmpeg: an H.264 MP4, or for a `.gif` file an animated GIF (the photo at 384 px wide).
 */
export async function encodeClip(photo: string, file: string, seconds = 1): Promise<void> {
  const codec = file.endsWith('.gif') ? ['-vf', 'scale=384:-1'] : ['-c:v', 'libx264', '-pix_fmt', 'yuv420p'];
  await promisify(execFile)('/usr/bin/ffmpeg', [
    '-v',
    'error',
    '-loop',
    '1',
    '-i',
    photo,
    '-t',
    String(seconds),
    '-r',
    '5',
    ...codec,
    file,
  ]);
}
