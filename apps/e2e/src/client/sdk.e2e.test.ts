import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ConflictError,
  GantryClient,
  InvalidRequestError,
  JobFailedError,
  NotFoundError,
  fileFromPath,
} from '@gantry/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineStack, fixturesDir } from '../engines/engine-stack.js';
import { encodeClip } from '../harness/encode-clip.js';
import { startClientStack } from './client-stack.js';

let stack: EngineStack;
let gantry: GantryClient;

beforeAll(async () => {
  stack = await startClientStack('sdk', { llm: true });
  gantry = new GantryClient({ url: stack.gateway.url, apiKey: stack.key });
}, 180_000);
afterAll(() => stack?.close());

describe('@gantry/client on a running stack', () => {
  it('runs a built-in type and answers its typed output', async () => {
    const job = await gantry.run('llm.sentiment', {
      text: 'Thank you so much, the new release works perfectly!',
    });
    expect(job.status).toBe('succeeded');
    expect(job.output?.label).toBe('positive');
  });

  it('reports progress while it waits, and uploads a file into the type’s file field', async () => {
    const progress: number[] = [];
    const slept = await gantry.run('test.sleep', { ms: 400 }, { onProgress: (p) => progress.push(p.pct) });
    expect(slept.output).toMatchObject({ slept_ms: 400 });
    // Progress is throttled (latest wins within 100 ms), so a busy machine may merge steps: in order, ending at 100.
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(100);
    expect(progress.every((pct) => [25, 50, 75, 100].includes(pct))).toBe(true);

    const image = path.join(fixturesDir, 'images', 'dog.jpg');
    const checked = await gantry.run('test.checksum', {}, { file: await fileFromPath(image) });
    const sha256 = createHash('sha256')
      .update(await readFile(image))
      .digest('hex');
    expect(checked.output).toMatchObject({ sha256 });
    expect(checked.input).toMatchObject({ file: { media_type: 'image/jpeg', filename: 'dog.jpg' } });
  });

  it('throws typed errors with the API’s codes', async () => {
    await expect(gantry.submit('no.such-type', {})).rejects.toMatchObject({
      constructor: NotFoundError,
      code: 'UNKNOWN_JOB_TYPE',
    });
    await expect(gantry.submit('llm.sentiment', { text: '   ' })).rejects.toMatchObject({
      constructor: InvalidRequestError,
      code: 'VALIDATION_FAILED',
      details: { issues: [{ path: ['text'] }] },
    });
    await expect(gantry.run('test.flaky', { code: 'VALIDATION_FAILED' })).rejects.toMatchObject({
      constructor: JobFailedError,
      code: 'VALIDATION_FAILED',
    });
  });

  it('keeps one job for one Idempotency-Key, and cancels', async () => {
    const first = await gantry.submit('test.sleep', { ms: 60_000 }, { idempotencyKey: 'sdk-e2e-once' });
    const again = await gantry.submit('test.sleep', { ms: 60_000 }, { idempotencyKey: 'sdk-e2e-once' });
    expect(again.id).toBe(first.id);
    expect((await gantry.cancel(first.id)).status).toBe('canceled');
    await expect(gantry.cancel(first.id)).rejects.toMatchObject({
      constructor: ConflictError,
      code: 'JOB_NOT_CANCELABLE',
    });
  });

  it('follows events to the end, and resumes after a given event without repeating it', async () => {
    const job = await gantry.submit('test.sleep', { ms: 300 });
    const events = [];
    for await (const event of gantry.events(job.id)) events.push(event);
    expect(events.at(-1)).toMatchObject({ event: 'completed', data: { status: 'succeeded' } });
    const progressAt = events.findIndex((e) => e.event === 'progress');
    const resumed = [];
    for await (const event of gantry.events(job.id, { lastEventId: events[progressAt]?.id ?? '' }))
      resumed.push(event);
    expect(resumed[0]?.id).not.toBe(events[progressAt]?.id);
    // Once the job is recorded its stream leaves Redis, and a late resume gets the job as it is and a
    // `completed` of its own (ADR 6): the end is the same, its id may not be.
    expect(resumed.at(-1)).toMatchObject({ event: 'completed', data: { status: 'succeeded' } });
  });

  it('lists jobs a page at a time until the last page', async () => {
    const pages = [];
    for await (const page of gantry.list({ type: 'test.sleep', limit: 1 }))
      pages.push(page.data.map((j) => j.id));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(new Set(pages.flat()).size).toBe(pages.flat().length);
  });

  it('reads the catalogue and workers, and pauses and resumes a queue', async () => {
    expect((await gantry.types()).map((t) => t.type)).toEqual(
      expect.arrayContaining(['llm.sentiment', 'ocr.extract', 'test.sleep']),
    );
    expect((await gantry.workers('llm')).map((w) => w.state)).toEqual(['ready']);
    expect(await gantry.pauseQueue('runtime-test')).toEqual({ queue: 'runtime-test', paused: true });
    expect(await gantry.resumeQueue('runtime-test')).toEqual({ queue: 'runtime-test', paused: false });
  });

  it('accepts every request example of /openapi.json (a blob uploaded for the file fields)', async () => {
    const spec = (await (await fetch(`${stack.gateway.url}/openapi.json`)).json()) as {
      paths: Record<string, { post?: { requestBody?: { content: Record<string, { examples?: object }> } } }>;
    };
    const upload = async (file: string) => {
      const form = new FormData();
      form.set('file', await fileFromPath(file));
      const reply = await fetch(`${stack.gateway.url}/v1/blobs`, {
        method: 'POST',
        body: form,
        headers: { authorization: `Bearer ${stack.key}` },
      });
      return ((await reply.json()) as { blob_id: string }).blob_id;
    };
    // A photo for every file field, but a clip (encoded here from the photo) for the one type that reads video.
    const photo = path.join(fixturesDir, 'images', 'dog.jpg');
    const scratch = await mkdtemp(path.join(tmpdir(), 'gantry-sdk-'));
    const clip = path.join(scratch, 'dog.mp4');
    await encodeClip(photo, clip);
    const [photoBlob, clipBlob] = await Promise.all([upload(photo), upload(clip)]);
    await rm(scratch, { recursive: true, force: true });
    let tried = 0;
    for (const [route, item] of Object.entries(spec.paths)) {
      const examples = item.post?.requestBody?.content['application/json']?.examples ?? {};
      const blobId = route === '/v1/jobs/vision.video' ? clipBlob : photoBlob;
      for (const { value } of Object.values(examples) as { value: { input: Record<string, unknown> } }[]) {
        const input = JSON.parse(JSON.stringify(value.input).replaceAll(/blob_[0-9a-f-]{36}/g, blobId));
        const job = await gantry.submit(route.slice('/v1/jobs/'.length), input, { expiresIn: 60 });
        expect(job.status, route).toMatch(/queued|running|succeeded/);
        tried += 1;
      }
    }
    expect(tried).toBeGreaterThanOrEqual(4);
  });
});
