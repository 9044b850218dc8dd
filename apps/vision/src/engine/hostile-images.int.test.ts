import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { barcodeFormats, GantryError } from '@gantry/contracts';
import { pngBomb, withFlippedBytes, withStrayBytes } from '@gantry/image-input/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBarcodeReader, type BarcodeReader } from './barcode-reader.js';
import { createImageEnhancer } from './image-enhancer.js';

// Real decoders on hostile files made here; a real HTTP server stands where an SVG's entities point.
const fixtures = path.resolve(import.meta.dirname, '../../../../../shared/fixtures');
let reader: BarcodeReader;
const enhancer = createImageEnhancer({ maxPixels: 40_000_000 });
const fetched: string[] = [];
const server = createServer((req, res) => {
  fetched.push(req.url ?? '');
  res.end('<x/>');
});

beforeAll(async () => {
  reader = await createBarcodeReader({ maxPixels: 40_000_000 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function code(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GantryError);
  return (error as GantryError).code;
}

const engines = {
  barcodes: (bytes: Buffer) => reader.read(bytes, { formats: barcodeFormats, maxSymbols: 4 }),
  enhance: (bytes: Buffer) =>
    enhancer.enhance(bytes, {
      format: 'png',
      quality: 80,
      white_balance: true,
      exposure: true,
      denoise: true,
      sharpen: true,
      upscale_to: 0,
    }),
};

describe.each(Object.entries(engines))('%s on hostile files', (_name, run) => {
  it('refuses an SVG with an external entity and a billion laughs, fetching nothing', async () => {
    const { port } = server.address() as AddressInfo;
    const external = Buffer.from(
      `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "http://127.0.0.1:${port}/leak">]>` +
        `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&x;</text></svg>`,
    );
    const laughs = Buffer.from(
      `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">` +
        `<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>` +
        `<svg xmlns="http://www.w3.org/2000/svg"><text>&d;</text></svg>`,
    );
    expect(await code(run(external))).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await code(run(laughs))).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(fetched).toEqual([]);
  });

  it('refuses zero bytes and a text file, fails truncated files, and refuses a bomb before decoding', async () => {
    const png = await readFile(path.join(fixtures, 'barcodes/qr-url.png'));
    expect(await code(run(Buffer.alloc(0)))).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await code(run(Buffer.from('just text, named photo.png\n')))).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await code(run(png.subarray(0, Math.floor(png.length * 0.6))))).toBe('MEDIA_CORRUPT');
    expect(await code(run(png.subarray(0, 30)))).toBe('MEDIA_CORRUPT');
    expect(await code(run(await pngBomb(30_000, 30_000)))).toBe('MEDIA_TOO_LARGE');
    // The engine is still good for the next file.
    await expect(run(png)).resolves.toBeDefined();
  });

  it('refuses a photo damaged mid-file as MEDIA_CORRUPT, and decodes one with stray bytes between segments', async () => {
    const dog = await readFile(path.join(fixtures, 'images/dog.jpg'));
    const damaged = await promiseError(run(withFlippedBytes(dog)));
    expect(damaged?.code).toBe('MEDIA_CORRUPT');
    expect(damaged?.details).toMatchObject({ decoder: expect.stringMatching(/Corrupt JPEG data/) });
    for (const marker of [0xc4, 0xd9]) await expect(run(withStrayBytes(dog, marker))).resolves.toBeDefined();
  });
});

async function promiseError(promise: Promise<unknown>): Promise<GantryError | null> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  return error instanceof GantryError ? error : null;
}
