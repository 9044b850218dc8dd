import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../blob-store.js';

// The smallest valid PNG header: the signature and an IHDR chunk start.
const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
const farFuture = () => new Date(Date.now() + 3_600_000);

async function listed(store: BlobStore, before = farFuture()): Promise<string[]> {
  const ids: string[] = [];
  for await (const blob of store.listWrittenBefore(before)) ids.push(`${blob.tenant}/${blob.blob_id}`);
  return ids;
}

/**
 * What every blob store promises, run against each one (the filesystem store and the S3 store on
 * a real S3-compatible server), so the two cannot drift apart.
 */
export function describeBlobStoreContract(
  label: string,
  open: () => Promise<{ store: BlobStore; close(): Promise<void> }>,
): void {
  describe(`${label}: the BlobStore contract`, () => {
    let store: BlobStore;
    let close: () => Promise<void>;
    beforeAll(async () => ({ store, close } = await open()));
    afterAll(() => close());

    it('stores bytes, hashes them and sniffs the real type over the declared one', async () => {
      const blob = await store.put('acme', Readable.from([png]), {
        declaredType: 'text/plain',
        filename: 'a.png',
        maxBytes: 1_000,
      });
      expect(blob).toMatchObject({
        tenant: 'acme',
        media_type: 'image/png',
        declared_type: 'text/plain',
        filename: 'a.png',
        size: png.length,
        sha256: createHash('sha256').update(png).digest('hex'),
      });
      expect(await store.stat('acme', blob.blob_id)).toEqual(blob);
      expect(await store.read('acme', blob.blob_id)).toEqual(png);
    });

    it("keeps a trusted writer's media type, which sniffing cannot tell (JSON sniffs as text)", async () => {
      const json = Buffer.from('{"summary":"short"}');
      const blob = await store.put('acme', Readable.from([json]), {
        filename: 'summary.json',
        mediaType: 'application/json',
        maxBytes: 1_000,
      });
      expect(blob.media_type).toBe('application/json');
      expect(await store.stat('acme', blob.blob_id)).toEqual(blob);
    });

    it('keeps tenants apart: another tenant can neither see, read nor delete a blob', async () => {
      const blob = await store.put('acme', Readable.from([png]), { maxBytes: 1_000 });
      expect(await store.stat('other', blob.blob_id)).toBeNull();
      await expect(store.read('other', blob.blob_id)).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
      await store.delete('other', blob.blob_id);
      expect(await store.read('acme', blob.blob_id)).toEqual(png);
    });

    it('refuses a tenant id that could leave its own folder or prefix', async () => {
      await expect(store.put('../acme', Readable.from([png]), { maxBytes: 1_000 })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
      await expect(store.stat('acme/..', 'blob_00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
    });

    it('answers null for ids it never gives out', async () => {
      expect(await store.stat('acme', '../acme/x')).toBeNull();
      expect(await store.stat('acme', 'blob_00000000-0000-0000-0000-000000000000')).toBeNull();
    });

    it('stops an upload at the byte limit and keeps nothing', async () => {
      const before = await listed(store);
      const chunks = Array.from({ length: 10 }, () => Buffer.alloc(1_000, 1));
      await expect(store.put('acme', Readable.from(chunks), { maxBytes: 5_000 })).rejects.toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
      });
      expect(await listed(store)).toEqual(before);
    });

    it('deletes a blob: gone for stat, read and listing', async () => {
      const blob = await store.put('acme', Readable.from([png]), { maxBytes: 1_000 });
      expect(await listed(store)).toContain(`acme/${blob.blob_id}`);
      await store.delete('acme', blob.blob_id);
      expect(await store.stat('acme', blob.blob_id)).toBeNull();
      await expect(store.read('acme', blob.blob_id)).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
      expect(await listed(store)).not.toContain(`acme/${blob.blob_id}`);
      await store.delete('acme', blob.blob_id); // twice is fine
    });

    it('lists the blobs of every tenant written before a time, and not those after it', async () => {
      const a = await store.put('acme', Readable.from([png]), { maxBytes: 1_000 });
      const b = await store.put('globex', Readable.from([png]), { maxBytes: 1_000 });
      const all = await listed(store);
      expect(all).toEqual(expect.arrayContaining([`acme/${a.blob_id}`, `globex/${b.blob_id}`]));
      // Object stores keep whole seconds: "before" a minute ago cannot include a blob written now.
      const old = await listed(store, new Date(Date.now() - 60_000));
      expect(old).not.toContain(`acme/${a.blob_id}`);
      expect(old).not.toContain(`globex/${b.blob_id}`);
    });

    it('calls text text, whatever its name', async () => {
      const blob = await store.put('acme', Readable.from([Buffer.from('hello, not a png')]), {
        filename: 'photo.png',
        maxBytes: 1_000,
      });
      expect(blob.media_type).toBe('text/plain');
    });

    it('calls an empty upload empty', async () => {
      const blob = await store.put('acme', Readable.from([]), { maxBytes: 1_000 });
      expect(blob).toMatchObject({ media_type: 'application/x-empty', size: 0 });
      expect(await store.read('acme', blob.blob_id)).toEqual(Buffer.alloc(0));
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

    it('recognises a TIFF whose first IFD lies far after the pixel data, as libtiff and libvips write it', async () => {
      // 200 kB of pixels: past any head a store keeps from the stream, so the sniffer must seek.
      const pixels = Buffer.alloc(200_000);
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
      const blob = await store.put('acme', Readable.from([tiff]), { maxBytes: 1_000_000 });
      expect(blob.media_type).toBe('image/tiff');
    });
  });
}
