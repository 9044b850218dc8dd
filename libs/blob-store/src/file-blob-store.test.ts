import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { FileBlobStore } from './file-blob-store.js';

const root = await mkdtemp(path.join(tmpdir(), 'gantry-blobs-'));
const store = new FileBlobStore(root);
afterAll(() => rm(root, { recursive: true, force: true }));

// The smallest valid PNG header: the signature and an IHDR chunk start.
const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

describe('FileBlobStore (real filesystem)', () => {
  it('stores bytes, hashes them and sniffs the real type over the declared one', async () => {
    const blob = await store.put('acme', Readable.from([png]), {
      declaredType: 'text/plain',
      maxBytes: 1_000,
    });
    expect(blob).toMatchObject({ media_type: 'image/png', declared_type: 'text/plain', size: png.length });
    expect(await store.read('acme', blob.blob_id)).toEqual(png);
  });

  it('keeps tenants apart', async () => {
    const blob = await store.put('acme', Readable.from([png]), { maxBytes: 1_000 });
    expect(await store.stat('other', blob.blob_id)).toBeNull();
    await expect(store.read('other', blob.blob_id)).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
  });

  it('stops an upload at the byte limit and keeps nothing', async () => {
    const chunks = Array.from({ length: 10 }, () => Buffer.alloc(1_000, 1));
    await expect(store.put('acme', Readable.from(chunks), { maxBytes: 5_000 })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
  });

  it('calls text text, whatever its name', async () => {
    const blob = await store.put('acme', Readable.from([Buffer.from('hello, not a png')]), {
      filename: 'photo.png',
      maxBytes: 1_000,
    });
    expect(blob.media_type).toBe('text/plain');
  });

  it('calls binary without a magic number octet-stream, however long it is', async () => {
    const blob = await store.put('acme', Readable.from([Buffer.alloc(2_000, 0x80)]), { maxBytes: 10_000 });
    expect(blob.media_type).toBe('application/octet-stream');
  });

  it('keeps text cut inside a multi-byte character text', async () => {
    const text = Buffer.from('é'.repeat(2_000)); // 2-byte characters: the 1 kB sample ends inside none
    const odd = Buffer.concat([Buffer.from('a'), text]); // …and this one inside one
    for (const bytes of [text, odd]) {
      const blob = await store.put('acme', Readable.from([bytes]), { maxBytes: 10_000 });
      expect(blob.media_type).toBe('text/plain');
    }
  });

  it('recognises a TIFF whose first IFD lies after the pixel data, as libtiff and libvips write it', async () => {
    const pixels = Buffer.alloc(20_000);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 131) % 256; // binary, not valid UTF-8
    const ifd = Buffer.alloc(2 + 12 + 4);
    ifd.writeUInt16LE(1, 0); // one entry: ImageWidth (256), SHORT, 1 value, 1
    ifd.writeUInt16LE(256, 2);
    ifd.writeUInt16LE(3, 4);
    ifd.writeUInt32LE(1, 6);
    ifd.writeUInt16LE(1, 10);
    const header = Buffer.from([0x49, 0x49, 0x2a, 0x00, 0, 0, 0, 0]);
    header.writeUInt32LE(header.length + pixels.length, 4);
    const tiff = Buffer.concat([header, pixels, ifd]);
    const blob = await store.put('acme', Readable.from([tiff]), { maxBytes: 100_000 });
    expect(blob.media_type).toBe('image/tiff');
  });
});
