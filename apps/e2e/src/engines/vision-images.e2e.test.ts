import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { type AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import path from 'node:path';
import type { VisionBarcodesOutput, VisionEnhanceOutput, VisionTagsOutput } from '@gantry/contracts';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineStack, fixturesDir, startEngineStack, workerModule } from './engine-stack.js';
import type { ErrorReply } from './gantry-client.js';
import { type VisionModelsDir, visionModelsDir } from './vision-models-dir.js';

// Real: gateway over HTTP, Redis queue, Postgres, the vision worker (zxing-wasm, sharp) in one engine process.
const fixture = (name: string) => readFileSync(path.join(fixturesDir, name));

let models: VisionModelsDir;
let stack: EngineStack;
beforeAll(async () => {
  // A models directory with no classifier/, whatever the shared one holds: vision.classify has no model.
  models = await visionModelsDir({ classifier: false });
  stack = await startEngineStack('vision-images', [
    { module: workerModule('vision'), app: 'vision', concurrency: 1, env: { MODELS_DIR: models.dir } },
  ]);
});
afterAll(async () => {
  await stack?.close();
  await models?.remove();
});

const run = <T>(type: string, bytes: Uint8Array, filename: string, input: Record<string, unknown> = {}) =>
  stack.client.uploadAndWait<T>(type, { bytes, filename }, input);

describe('vision image jobs through the whole stack', () => {
  it('vision.barcodes reads the QR code and the EAN-13 of a photo, naming zxing-wasm as the model', async () => {
    const job = await run<VisionBarcodesOutput>(
      'vision.barcodes',
      fixture('barcodes/photo-mixed.jpg'),
      'photo.jpg',
    );
    expect(job.status).toBe('succeeded');
    expect(job.model).toMatchObject({ name: 'zxing-wasm', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(job.output?.barcodes.map((b) => `${b.format}:${b.text}`).sort()).toEqual([
      'ean_13:5901234123457',
      'qr_code:https://example.com/t/ORD-2024-0917?c=42',
    ]);
  });

  it('vision.enhance stores a brighter WebP as a blob of the tenant, which GET /v1/blobs/{id} returns', async () => {
    const dark = await sharp(fixture('images/dog.jpg')).linear(0.3, 0).jpeg().toBuffer();
    const job = await run<VisionEnhanceOutput>('vision.enhance', dark, 'dark.jpg', {
      format: 'webp',
      quality: 70,
    });
    expect(job.status).toBe('succeeded');
    const output = job.output ?? expect.unreachable('a succeeded job has an output');
    expect(output.after.brightness).toBeGreaterThan(output.before.brightness);
    expect(output.file).toMatchObject({ media_type: 'image/webp', filename: 'dark-enhanced.webp' });
    const download = await stack.client.bytes(`/v1/blobs/${output.file.blob_id}`);
    expect(download).toMatchObject({ status: 200, type: 'image/webp' });
    expect(download.bytes.length).toBe(output.file.size);
    expect(await sharp(download.bytes).metadata()).toMatchObject({
      format: 'webp',
      width: 1024,
      height: 768,
    }); // upscaled to the default upscale_to;
  });

  it('vision.tags labels dog.jpg from detection and reads its camera EXIF', async () => {
    const job = await run<VisionTagsOutput>('vision.tags', fixture('images/dog.jpg'), 'dog.jpg');
    expect(job.status).toBe('succeeded');
    expect(job.output).toMatchObject({
      width: 768,
      height: 576,
      format: 'jpeg',
      capture: { camera_make: 'Canon' },
    });
    expect(job.output?.labels.map((l) => l.label)).toEqual(expect.arrayContaining(['dog', 'bicycle']));
  });

  it('vision.classify fails MODEL_UNAVAILABLE (retried, then failed) naming the folder, when no classifier is installed', async () => {
    const red = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#e01818' } })
      .png()
      .toBuffer();
    const job = await run('vision.classify', red, 'red.png');
    expect(job).toMatchObject({
      status: 'failed',
      attempt: 2,
      model: null,
      error: {
        code: 'MODEL_UNAVAILABLE',
        retryable: true,
        details: { model: 'classifier', folder: path.join(models.dir, 'classifier') },
      },
    });
    expect(job.error?.message).toContain(path.join(models.dir, 'classifier', 'manifest.json'));
  });

  it('refuses a text file named .png at the gateway, fails a truncated PNG as MEDIA_CORRUPT, and keeps serving', async () => {
    const text = await stack.client.upload('vision.barcodes', {
      bytes: Buffer.from('not an image\n'),
      filename: 'x.png',
    });
    expect(text.status).toBe(415);
    expect((text.body as ErrorReply).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const png = fixture('barcodes/qr-url.png');
    const cut = await run('vision.barcodes', png.subarray(0, Math.floor(png.length * 0.6)), 'cut.png');
    expect(cut).toMatchObject({
      status: 'failed',
      attempt: 1,
      error: { code: 'MEDIA_CORRUPT', retryable: false },
    });
    const after = await run<VisionBarcodesOutput>('vision.barcodes', png, 'qr.png');
    expect(after.output?.barcodes.map((b) => b.text)).toEqual(['https://example.com/t/ORD-2024-0917?c=42']);
  });

  it('refuses SVGs with an external entity or entity expansion, and an empty file, at the gateway; fetches nothing', async () => {
    let fetched = 0;
    const bait = createServer((_request, response) => {
      fetched += 1;
      response.end('<rect width="10" height="10"/>');
    });
    bait.listen(0, '127.0.0.1');
    await once(bait, 'listening');
    const { port } = bait.address() as AddressInfo;
    const svgs = {
      'external.svg':
        `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "http://127.0.0.1:${port}/x">]>` +
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">&x;</svg>',
      'laughs.svg':
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' +
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>' +
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&d;</text></svg>',
    };
    try {
      for (const [filename, body] of Object.entries(svgs)) {
        const reply = await stack.client.upload('vision.detect', { bytes: Buffer.from(body), filename });
        expect([filename, reply.status, (reply.body as ErrorReply).error.code]).toEqual([
          filename,
          415,
          'UNSUPPORTED_MEDIA_TYPE',
        ]);
      }
      const empty = await stack.client.upload('vision.detect', {
        bytes: Buffer.alloc(0),
        filename: 'empty.png',
      });
      // An empty upload has no type to sniff: refused as such, before any worker sees it.
      expect(empty.status).toBe(415);
      expect((empty.body as ErrorReply).error).toMatchObject({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        details: { media_type: 'application/x-empty' },
      });
      expect(fetched).toBe(0);
      const after = await run<VisionBarcodesOutput>(
        'vision.barcodes',
        fixture('barcodes/qr-url.png'),
        'qr.png',
      );
      expect(after.status).toBe('succeeded');
    } finally {
      bait.close();
    }
  });
});
