import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { BenchRun } from '../bench-run.js';
import { GantryStack } from '../gantry-stack.js';
import { runJob } from '../job-client.js';
import { latencyStats } from '../latency-stats.js';
import { markdownTable, num, type Section } from '../report-format.js';

/**
 * Scenario 11: `vision.enhance` time per megapixel, through the stack with one engine process, on
 * dog.jpg at three sizes, darkened and tinted so that white balance and exposure run too (upscaling
 * off: it would change the megapixels). Engine time is the job's own started → completed time.
 */
export async function visionEnhanceScenario(run: BenchRun): Promise<Section> {
  const title = '12. Enhancement: `vision.enhance` time per megapixel';
  const module = run.appWorkerModule('vision');
  if (!module)
    return { title, lines: ['Skipped: apps/vision has no built worker module (run the build first).'] };
  const dog = await readFile(path.join(run.env.FIXTURES_DIR, 'images/dog.jpg'));
  const rounds = run.scale(5, 2);
  const rows: string[][] = [];
  const stack = await GantryStack.start(run, 'enhance', [{ app: 'vision-worker', module, concurrency: 1 }]);
  try {
    await stack.waitForTypes(['vision.enhance']);
    for (const width of [768, 1536, 3072]) {
      const bytes = await sharp(dog)
        .resize(width)
        .linear([0.45, 0.38, 0.3], [0, 0, 0])
        .jpeg({ quality: 90 })
        .toBuffer();
      const megapixels = (width * Math.round((width * 576) / 768)) / 1e6;
      const times: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const job = await runJob(stack, 'vision.enhance', {
          input: { format: 'webp', quality: 80, upscale_to: 0 },
          file: { bytes, filename: 'dark.jpg' },
        });
        if (!job.ok || job.engineMs === null)
          throw new Error(`vision.enhance failed: ${JSON.stringify(job.error)}`);
        times.push(job.engineMs);
      }
      const stats = latencyStats(times);
      rows.push([
        `${width}×${Math.round((width * 576) / 768)}`,
        num(megapixels),
        num(stats.p50, 0),
        num(stats.p50 / megapixels, 0),
      ]);
    }
  } finally {
    await stack.close();
  }
  return {
    title,
    lines: [
      ...markdownTable(['size', 'MP', 'job p50 ms', 'ms per MP'], rows),
      '',
      `- ${rounds} jobs per size, WebP quality 80 out; white balance and exposure run, denoise and sharpen as measured.`,
    ],
  };
}
