import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DetectedObject, VisionDetectOutput } from '@gantry/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineStack, fixturesDir, startEngineStack, workerModule } from './engine-stack.js';
import type { ErrorReply } from './gantry-client.js';
import { imageVariants } from './image-variants.js';
import { pngBomb } from '@gantry/image-input/testing';

// Real: gateway over HTTP, Redis queue, Postgres, the vision worker with two YOLOX-Nano engine processes.
const image = (name: string) => readFileSync(path.join(fixturesDir, 'images', name));
const dog = image('dog.jpg');

let stack: EngineStack;
beforeAll(async () => {
  stack = await startEngineStack('vision', [
    { module: workerModule('vision'), app: 'vision', concurrency: 2 },
  ]);
});
afterAll(() => stack?.close());

const detect = (bytes: Uint8Array, filename: string, input: Record<string, unknown> = {}) =>
  stack.client.uploadAndWait<VisionDetectOutput>('vision.detect', { bytes, filename }, input);

type Box = DetectedObject['box'];
const iou = (a: Box, b: Box) => {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  const inter = Math.max(0, w) * Math.max(0, h);
  return inter / (a.width * a.height + b.width * b.height - inter);
};

// dog.jpg is 768×576: the dog sits bottom left, the bicycle spans the middle, the pickup truck
// (which COCO calls a car) is top right. Boxes as YOLOX-Nano draws them, in the photo's own pixels.
const dogScene: Record<string, Box> = {
  dog: { x: 133, y: 207, width: 192, height: 335 },
  bicycle: { x: 46, y: 132, width: 526, height: 299 },
  car: { x: 467, y: 78, width: 225, height: 94 },
};

function expectDogScene(output: VisionDetectOutput | null, name = 'dog.jpg') {
  expect(output, name).toMatchObject({ width: 768, height: 576 });
  const objects = output?.objects ?? [];
  for (const [label, box] of Object.entries(dogScene)) {
    const found = objects.find((o) => o.label === label);
    expect(found, `${name}: ${label}`).toBeDefined();
    if (found)
      expect(iou(found.box, box), `${name}: ${label} at ${JSON.stringify(found.box)}`).toBeGreaterThan(0.85);
  }
  for (const { box } of objects) {
    expect(box.x + box.width, name).toBeLessThanOrEqual(768);
    expect(box.y + box.height, name).toBeLessThanOrEqual(576);
  }
}

describe('vision.detect through the whole stack', () => {
  it('finds the dog, the bicycle and the car of dog.jpg, boxed in its own pixels, with the model on the job', async () => {
    const job = await detect(dog, 'dog.jpg');
    expect(job.status).toBe('succeeded');
    expect(job.model).toEqual({
      name: expect.stringMatching(/yolox/i),
      version: expect.any(String),
      sha256: '695e750a5d5754bb5a8d5325643b59282191a7e7a564e435a415fd3c578eab14',
    });
    expectDogScene(job.output);
    const scores = job.output?.objects.map((o) => o.score) ?? [];
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(Math.min(...scores)).toBeGreaterThanOrEqual(0.3);
  });

  it('finds the person in astronaut.png', async () => {
    const job = await detect(image('astronaut.png'), 'astronaut.png');
    expect(job.output).toMatchObject({ width: 512, height: 512 });
    expect(job.output?.objects[0]).toMatchObject({ label: 'person', score: expect.any(Number) });
    expect(job.output?.objects[0]?.score).toBeGreaterThan(0.8);
  });

  it('reports only the classes asked for', async () => {
    const job = await detect(dog, 'dog.jpg', { classes: ['bicycle', 'person'] });
    expect(job.output?.objects.map((o) => o.label)).toEqual(['bicycle']);
  });

  it('leaves out objects under min_score, and finding nothing is a result', async () => {
    const strict = await detect(dog, 'dog.jpg', { min_score: 0.8 });
    const labels = strict.output?.objects.map((o) => o.label) ?? [];
    expect(labels.length).toBeGreaterThan(0);
    expect(strict.output?.objects.every((o) => o.score >= 0.8)).toBe(true);
    expect(labels).not.toContain('cat');
    const none = await detect(dog, 'dog.jpg', { min_score: 0.99 });
    expect(none).toMatchObject({ status: 'succeeded', output: { objects: [] } });
  });

  it('answers 422 at the gateway for a class the model does not know', async () => {
    const reply = await stack.client.upload(
      'vision.detect',
      { bytes: dog, filename: 'dog.jpg' },
      { classes: ['unicorn'] },
    );
    expect(reply.status).toBe(422);
    expect((reply.body as ErrorReply).error.details.issues?.map((issue) => issue.path)).toEqual([
      ['classes', 0],
    ]);
  });

  it('sees the same scene in rotated, CMYK, 16-bit, alpha and animated files', async () => {
    const variants = await imageVariants(dog, 'opaque');
    const jobs = await Promise.all(variants.map((v) => detect(v.bytes, v.filename)));
    jobs.forEach((job, i) => {
      const name = variants[i]?.name;
      expect(job.status, name).toBe('succeeded');
      expectDogScene(job.output, name);
    });
  });

  it('fails a corrupt JPEG as MEDIA_CORRUPT without retrying it', async () => {
    const job = await detect(dog.subarray(0, Math.floor(dog.length * 0.4)), 'cut.jpg');
    expect(job).toMatchObject({
      status: 'failed',
      attempt: 1,
      error: { code: 'MEDIA_CORRUPT', retryable: false },
    });
  });

  it('fails a decompression bomb as MEDIA_TOO_LARGE, and the worker keeps serving', async () => {
    const job = await detect(await pngBomb(50_000, 50_000), 'bomb.png');
    expect(job).toMatchObject({
      status: 'failed',
      error: { code: 'MEDIA_TOO_LARGE', details: { width: 50_000, height: 50_000 } },
    });
    expectDogScene((await detect(dog, 'dog.jpg')).output);
  });
});
