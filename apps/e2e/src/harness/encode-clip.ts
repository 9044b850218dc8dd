import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** A one-second H.264 MP4 of a still photo at 5 frames a second, encoded by Debian's ffmpeg. */
export async function encodeClip(photo: string, file: string): Promise<void> {
  await promisify(execFile)('/usr/bin/ffmpeg', [
    '-v',
    'error',
    '-loop',
    '1',
    '-i',
    photo,
    '-t',
    '1',
    '-r',
    '5',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    file,
  ]);
}
