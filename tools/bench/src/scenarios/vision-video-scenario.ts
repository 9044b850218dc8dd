import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { BenchRun } from '../bench-run.js';
import { GantryStack } from '../gantry-stack.js';
import { runJob } from '../job-client.js';
import { latencyStats } from '../latency-stats.js';
import { markdownTable, num, type Section } from '../report-format.js';

const ffmpeg = '/usr/bin/ffmpeg';
const width = 640;
const height = 480;
const everyS = 0.5;

/**
 * Scenario 18: `vision.video` frames/s, rate sampling with detection, through the stack with one
 * engine process, on a clip encoded here from dog.jpg (640×480, 25 frames a second, H.264). The
 * baseline, in the same rounds: the same frame as single `vision.detect` jobs, one after another,
 * so the ratio is what decoding, the per-frame PNG and the timeline cost on top of detection.
 * Engine time is each job's own started → completed time.
 */
export async function visionVideoScenario(run: BenchRun): Promise<Section> {
  const title = '18. Video: `vision.video` frames/s (rate sampling, detect)';
  const module = run.appWorkerModule('vision');
  if (!module)
    return { title, lines: ['Skipped: apps/vision has no built worker module (run the build first).'] };
  if (
    !(await access(ffmpeg).then(
      () => true,
      () => false,
    ))
  )
    return { title, lines: [`Skipped: no ${ffmpeg} (Debian's \`ffmpeg\` package).`] };
  const durationS = run.scale(20, 5);
  const frames = durationS / everyS;
  const rounds = run.scale(3, 1);
  const scratch = await mkdtemp(path.join(tmpdir(), 'gantry-bench-video-'));
  const stack = await GantryStack.start(run, 'video', [{ app: 'vision-worker', module, concurrency: 1 }]);
  const rows: string[][] = [];
  try {
    const dog = path.join(run.env.FIXTURES_DIR, 'images/dog.jpg');
    const clip = path.join(scratch, 'dog.mp4');
    await promisify(execFile)(ffmpeg, [
      ...['-v', 'error', '-y', '-loop', '1', '-i', dog, '-t', String(durationS), '-r', '25'],
      ...['-vf', `scale=${width}:${height}`, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', clip],
    ]);
    const video = await readFile(clip);
    const frame = await sharp(dog).resize(width, height).png({ compressionLevel: 0 }).toBuffer();
    await stack.waitForTypes(['vision.video', 'vision.detect']);
    for (let round = 1; round <= rounds; round++) {
      const job = await runJob(stack, 'vision.video', {
        input: { every_s: everyS, analyses: ['detect'], max_frames: frames },
        file: { bytes: video, filename: 'dog.mp4' },
      });
      if (!job.ok || job.engineMs === null)
        throw new Error(`vision.video failed: ${JSON.stringify(job.error)}`);
      const detectMs: number[] = [];
      for (let i = 0; i < frames; i++) {
        const detect = await runJob(stack, 'vision.detect', {
          input: {},
          file: { bytes: frame, filename: 'frame.png' },
        });
        if (!detect.ok || detect.engineMs === null)
          throw new Error(`vision.detect failed: ${JSON.stringify(detect.error)}`);
        detectMs.push(detect.engineMs);
      }
      const videoFps = frames / (job.engineMs / 1000);
      const detectFps = 1000 / latencyStats(detectMs).p50;
      rows.push([
        String(round),
        num(job.engineMs, 0),
        num(videoFps, 1),
        num(detectFps, 1),
        `${num(videoFps / detectFps)}×`,
      ]);
    }
  } finally {
    await stack.close();
    await rm(scratch, { recursive: true, force: true });
  }
  return {
    title,
    lines: [
      ...markdownTable(
        ['round', 'video job ms', 'video frames/s', 'vision.detect images/s (p50)', 'ratio'],
        rows,
      ),
      '',
      `- ${durationS} s clip, one frame every ${everyS} s (${frames} frames) at ${width}×${height}, each through YOLOX-Nano; the baseline is ${frames} \`vision.detect\` jobs of the same frame as a PNG.`,
    ],
  };
}
