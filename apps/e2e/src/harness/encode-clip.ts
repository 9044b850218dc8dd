import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** An H.264 MP4 of a still photo at 5 frames a second (one second long by default), encoded by Debian's ffmpeg. */
export async function encodeClip(photo: string, file: string, seconds = 1): Promise<void> {
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
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    file,
  ]);
}
