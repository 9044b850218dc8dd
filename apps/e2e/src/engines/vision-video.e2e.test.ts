import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { VisionVideoOutput } from '@gantry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeClip } from '../harness/encode-clip.js';
import { type EngineStack, fixturesDir, startEngineStack, workerModule } from './engine-stack.js';
import type { ErrorReply, Job } from './gantry-client.js';

// Real: gateway over HTTP (sniffing the upload), Redis, Postgres, the vision worker running Debian's
// ffmpeg and YOLOX-Nano in an engine process, on an MP4 encoded here from a shared photo.
let stack: EngineStack;
let scratch: string;
let clip: Buffer;
/** Past the worker's VISION_VIDEO_MAX_DURATION_S below. */
let longClip: Buffer;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'gantry-e2e-video-'));
  const file = path.join(scratch, 'dog.mp4');
  const long = path.join(scratch, 'long.mp4');
  await Promise.all([
    encodeClip(path.join(fixturesDir, 'images/dog.jpg'), file),
    encodeClip(path.join(fixturesDir, 'images/dog.jpg'), long, 4),
  ]);
  [clip, longClip] = await Promise.all([readFile(file), readFile(long)]);
  stack = await startEngineStack('vision-video', [
    {
      module: workerModule('vision'),
      app: 'vision',
      concurrency: 1,
      env: { VISION_VIDEO_MAX_DURATION_S: '3', VISION_VIDEO_MAX_FRAMES: '4' },
    },
  ]);
});
afterAll(async () => {
  await stack?.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('vision.video through the whole stack', () => {
  it('samples an uploaded MP4 and returns a timeline with the dog in each frame', async () => {
    const reply = await stack.client.upload<Job<VisionVideoOutput>>(
      'vision.video',
      { bytes: clip, filename: 'dog.mp4' },
      { every_s: 0.5 },
      60,
    );
    expect(reply.status).toBe(200);
    const job = reply.body as Job<VisionVideoOutput>;
    expect(job.status).toBe('succeeded');
    expect(job.output).toMatchObject({ width: 768, height: 576, codec: 'h264' });
    // A 5 fps clip has no frame at 0.5 s: the first one shown at or after it, at its own time.
    expect(job.output?.frames.map((frame) => frame.time_s)).toEqual([0, 0.6]);
    for (const frame of job.output?.frames ?? []) {
      expect(frame.objects?.map((object) => object.label)).toContain('dog');
    }
  });

  it('samples on scene cuts and reads text with tesseract.js in the engine process', async () => {
    const reply = await stack.client.upload<Job<VisionVideoOutput>>(
      'vision.video',
      { bytes: clip, filename: 'dog.mp4' },
      { sample: 'scene', analyses: ['detect', 'ocr'] },
      60,
    );
    expect(reply.status).toBe(200);
    const job = reply.body as Job<VisionVideoOutput>;
    expect(job.status).toBe('succeeded');
    // One still photo: no cut after the first frame, which has the dog and no text to speak of.
    expect(job.output?.frames.map((frame) => frame.time_s)).toEqual([0]);
    expect(job.output?.frames[0]?.objects?.map((object) => object.label)).toContain('dog');
    expect(typeof job.output?.frames[0]?.text).toBe('string');
  });

  it("fails a video over the worker's duration limit at once and for good, and caps max_frames at its frame limit", async () => {
    const long = await stack.client.upload<Job<VisionVideoOutput>>(
      'vision.video',
      { bytes: longClip, filename: 'long.mp4' },
      {},
      60,
    );
    expect(long.body).toMatchObject({
      status: 'failed',
      attempt: 1,
      error: { code: 'MEDIA_TOO_LARGE', retryable: false },
    });
    expect(long.body.error?.message).toMatch(/VISION_VIDEO_MAX_DURATION_S/);
    for (const [asked, applied] of [
      [300, 4],
      [3, 3],
    ] as const) {
      const reply = await stack.client.upload<Job<VisionVideoOutput>>(
        'vision.video',
        { bytes: clip, filename: 'dog.mp4' },
        { every_s: 0.2, max_frames: asked },
        60,
      );
      expect(reply.body.status).toBe('succeeded');
      expect(reply.body.output?.frame_limit).toBe(applied);
      expect(reply.body.output?.frames).toHaveLength(applied); // of the 5 a 1 s clip has at 0.2 s
    }
  });

  it('samples an animated GIF as a video', async () => {
    const file = path.join(scratch, 'dog.gif');
    await encodeClip(path.join(fixturesDir, 'images/dog.jpg'), file);
    const reply = await stack.client.upload<Job<VisionVideoOutput>>(
      'vision.video',
      { bytes: await readFile(file), filename: 'dog.gif' },
      { every_s: 0.5 },
      60,
    );
    expect(reply.status).toBe(200);
    const job = reply.body as Job<VisionVideoOutput>;
    expect(job.output).toMatchObject({ width: 384, codec: 'gif' });
    expect(job.output?.frames.map((frame) => frame.time_s)).toEqual([0, 0.6]);
    expect(job.output?.frames[0]?.objects?.map((object) => object.label)).toContain('dog');
  });

  it('refuses a text file named .mp4 at the gateway, by its sniffed type', async () => {
    const reply = await stack.client.upload<ErrorReply>(
      'vision.video',
      { bytes: Buffer.from('not a movie\n'.repeat(50)), filename: 'clip.mp4' },
      {},
      10,
    );
    expect(reply.status).toBe(415);
    expect((reply.body as ErrorReply).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});
