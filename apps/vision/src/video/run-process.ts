import { spawn } from 'node:child_process';
import { GantryError } from '@gantry/contracts';

/** Output of a finished ffprobe/ffmpeg run. */
export interface ProcessResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** The typed error for an ffmpeg binary that is not installed where the settings say. */
export const ffmpegMissing = (file: string, cause: unknown) =>
  new GantryError(
    'MODEL_UNAVAILABLE',
    `${file} cannot be run; install Debian's ffmpeg or set VISION_FFMPEG_PATH / VISION_FFPROBE_PATH`,
    { details: { model: 'ffmpeg', file }, cause },
  );

/** Runs a short command to its end, killed on abort; at most `maxOutput` bytes of stdout are kept. */
export function runProcess(
  file: string,
  args: string[],
  { signal, maxOutput = 1_000_000 }: { signal?: AbortSignal; maxOutput?: number } = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(signal ? { signal } : {}) });
    const stdout: Buffer[] = [];
    let size = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxOutput) stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4_000) stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? ffmpegMissing(file, error) : signal?.aborted ? signal.reason : error);
    });
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout), stderr: stderr.trim() }));
  });
}
